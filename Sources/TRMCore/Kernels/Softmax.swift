/// Row-wise softmax (attention probabilities) and its backward.
///
/// Both run eight lanes at a time with `FastMath.exp`: attention over long sequences evaluates
/// heads · L² exponentials per layer and example, which dominated the scalar version.
public enum Softmax {
    /// In place over `rows` rows of `cols` values (max-subtracted for stability).
    @inline(__always)
    public static func forwardRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        let body = cols & ~7
        let tail = cols - body
        for row in 0..<rows {
            let xr = x + row * cols
            var maxima = SIMD8<Float>(repeating: -.infinity)
            var j = 0
            while j < body {
                // A compare and blend: `pointwiseMax` is an out-of-line call per vector.
                let v = FastMath.load(xr + j)
                maxima.replace(with: v, where: v .> maxima)
                j += 8
            }
            var maximum = maxima.max()
            for j in body..<cols where xr[j] > maximum { maximum = xr[j] }
            var sums = SIMD8<Float>()
            j = 0
            while j < body {
                let e = FastMath.exp(FastMath.load(xr + j) - maximum)
                FastMath.store(e, xr + j)
                sums += e
                j += 8
            }
            var sum = sums.sum()
            if tail > 0 {
                // The tail goes through the same exp as the body; padding lanes are never read back.
                var lanes = SIMD8<Float>(repeating: maximum)
                for t in 0..<tail { lanes[t] = xr[body + t] }
                let e = FastMath.exp(lanes - maximum)
                for t in 0..<tail {
                    xr[body + t] = e[t]
                    sum += e[t]
                }
            }
            let inv = 1 / sum
            j = 0
            while j < body {
                FastMath.store(FastMath.load(xr + j) * inv, xr + j)
                j += 8
            }
            for j in body..<cols { xr[j] *= inv }
        }
    }

    /// Given probabilities `p` and `dP`, overwrites `dP` with the gradient w.r.t. the scores:
    /// `dS = p ⊙ (dP − rowsum(dP ⊙ p))`.
    @inline(__always)
    public static func backwardRows(p: UnsafePointer<Float>, _ dP: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        let body = cols & ~7
        for row in 0..<rows {
            let pr = p + row * cols
            let dr = dP + row * cols
            var dots = SIMD8<Float>()
            var j = 0
            while j < body {
                dots += FastMath.load(pr + j) * FastMath.load(dr + j)
                j += 8
            }
            var dot = dots.sum()
            for j in body..<cols { dot += pr[j] * dr[j] }
            j = 0
            while j < body {
                FastMath.store(FastMath.load(pr + j) * (FastMath.load(dr + j) - dot), dr + j)
                j += 8
            }
            for j in body..<cols { dr[j] = pr[j] * (dr[j] - dot) }
        }
    }
}

import Foundation

/// Row-wise softmax (attention probabilities) and its backward.
public enum Softmax {
    /// In place over `rows` rows of `cols` values (max-subtracted for stability).
    @inline(__always)
    public static func forwardRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for row in 0..<rows {
            let xr = x + row * cols
            var maximum = -Float.infinity
            for j in 0..<cols where xr[j] > maximum { maximum = xr[j] }
            var sum: Float = 0
            for j in 0..<cols {
                let e = exp(xr[j] - maximum)
                xr[j] = e
                sum += e
            }
            let inv = 1 / sum
            for j in 0..<cols { xr[j] *= inv }
        }
    }

    /// Given probabilities `p` and `dP`, overwrites `dP` with the gradient w.r.t. the scores:
    /// `dS = p ⊙ (dP − rowsum(dP ⊙ p))`.
    @inline(__always)
    public static func backwardRows(p: UnsafePointer<Float>, _ dP: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for row in 0..<rows {
            let pr = p + row * cols
            let dr = dP + row * cols
            var dot: Float = 0
            for j in 0..<cols { dot += pr[j] * dr[j] }
            for j in 0..<cols { dr[j] = pr[j] * (dr[j] - dot) }
        }
    }
}

import Foundation

/// The SwiGLU nonlinearity `a = silu(g) ⊙ u` with `silu(g) = g · σ(g)`, and its backward.
/// Vectorised (8 lanes) and split across the cores for large counts.
public enum SiLUGate {
    /// `out[i] = silu(gate[i]) · up[i]` for `count` contiguous values.
    public static func forward(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, count: Int
    ) {
        let work = UnsafeSendable((gate, up, out))
        Parallel.forEachRange(count) { range in
            let (gate, up, out) = work.value
            var i = range.lowerBound
            while i + 8 <= range.upperBound {
                let g = FastMath.load(gate + i)
                FastMath.store(g * FastMath.sigmoid(g) * FastMath.load(up + i), out + i)
                i += 8
            }
            while i < range.upperBound {
                let g = gate[i]
                out[i] = g / (1 + exp(-g)) * up[i]
                i += 1
            }
        }
    }

    /// Given `dOut`, writes `dGate` and `dUp` (may not alias the inputs).
    public static func backward(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, dOut: UnsafePointer<Float>,
        dGate: UnsafeMutablePointer<Float>, dUp: UnsafeMutablePointer<Float>, count: Int
    ) {
        let work = UnsafeSendable((gate, up, dOut, dGate, dUp))
        Parallel.forEachRange(count) { range in
            let (gate, up, dOut, dGate, dUp) = work.value
            var i = range.lowerBound
            while i + 8 <= range.upperBound {
                let g = FastMath.load(gate + i)
                let s = FastMath.sigmoid(g)
                let d = FastMath.load(dOut + i)
                FastMath.store(d * g * s, dUp + i)
                FastMath.store(d * FastMath.load(up + i) * s * (1 + g * (1 - s)), dGate + i)
                i += 8
            }
            while i < range.upperBound {
                let g = gate[i]
                let s = 1 / (1 + exp(-g))
                dUp[i] = dOut[i] * g * s
                dGate[i] = dOut[i] * up[i] * s * (1 + g * (1 - s))
                i += 1
            }
        }
    }
}

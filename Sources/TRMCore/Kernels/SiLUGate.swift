import Foundation

/// The SwiGLU nonlinearity `a = silu(g) ⊙ u` with `silu(g) = g · σ(g)`, and its backward.
public enum SiLUGate {
    /// `out[i] = silu(gate[i]) · up[i]` for `count` contiguous values.
    @inline(__always)
    public static func forward(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, count: Int
    ) {
        for i in 0..<count {
            let g = gate[i]
            out[i] = g / (1 + exp(-g)) * up[i]
        }
    }

    /// Given `dOut`, writes `dGate` and `dUp` (may not alias the inputs).
    @inline(__always)
    public static func backward(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, dOut: UnsafePointer<Float>,
        dGate: UnsafeMutablePointer<Float>, dUp: UnsafeMutablePointer<Float>, count: Int
    ) {
        for i in 0..<count {
            let g = gate[i]
            let s = 1 / (1 + exp(-g))
            let silu = g * s
            dUp[i] = dOut[i] * silu
            dGate[i] = dOut[i] * up[i] * s * (1 + g * (1 - s))
        }
    }
}

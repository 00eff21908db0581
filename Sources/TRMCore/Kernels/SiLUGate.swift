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
            forwardSpan(gate: gate, up: up, out: out, range)
        }
    }

    /// Given `dOut`, writes `dGate` and `dUp`, and the forward output `silu(gate) · up` into
    /// `out` (the backward pass needs it for the weight gradient, and recomputing it here costs
    /// one multiply per value, the sigmoid being shared). Outputs may not alias the inputs.
    public static func backward(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, dOut: UnsafePointer<Float>,
        dGate: UnsafeMutablePointer<Float>, dUp: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>, count: Int
    ) {
        let work = UnsafeSendable((gate, up, dOut, dGate, dUp, out))
        Parallel.forEachRange(count) { range in
            let (gate, up, dOut, dGate, dUp, out) = work.value
            backwardSpan(gate: gate, up: up, dOut: dOut, dGate: dGate, dUp: dUp, out: out, range)
        }
    }

    /// `forward` on each of `rows` rows of `gateUp` `[rows, 2·width]` (a row's gates, then its
    /// ups) into `out` `[rows, width]`. The rows are split across the cores together, so many
    /// short rows keep both cores busy as one long vector does.
    public static func forwardRows(gateUp: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let work = UnsafeSendable((gateUp, out))
        Parallel.forEachRange(rows, minimumPerThread: Parallel.vectorsPerThread(length: width)) { range in
            let (gateUp, out) = work.value
            for row in range {
                let gate = gateUp + row * 2 * width
                forwardSpan(gate: gate, up: gate + width, out: out + row * width, 0..<width)
            }
        }
    }

    /// `backward` on each row of `forwardRows`' layout: `dOut` `[rows, width]` into `dGateUp`
    /// `[rows, 2·width]`, and the forward output into `out` `[rows, width]`.
    public static func backwardRows(
        gateUp: UnsafePointer<Float>, dOut: UnsafePointer<Float>, dGateUp: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>,
        rows: Int, width: Int
    ) {
        let work = UnsafeSendable((gateUp, dOut, dGateUp, out))
        Parallel.forEachRange(rows, minimumPerThread: Parallel.vectorsPerThread(length: width)) { range in
            let (gateUp, dOut, dGateUp, out) = work.value
            for row in range {
                let gate = gateUp + row * 2 * width
                let dGate = dGateUp + row * 2 * width
                backwardSpan(
                    gate: gate, up: gate + width, dOut: dOut + row * width, dGate: dGate, dUp: dGate + width, out: out + row * width, 0..<width)
            }
        }
    }

    @inline(__always)
    private static func forwardSpan(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
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

    @inline(__always)
    private static func backwardSpan(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, dOut: UnsafePointer<Float>,
        dGate: UnsafeMutablePointer<Float>, dUp: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>, _ range: Range<Int>
    ) {
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let g = FastMath.load(gate + i)
            let s = FastMath.sigmoid(g)
            let d = FastMath.load(dOut + i)
            let u = FastMath.load(up + i)
            FastMath.store(g * s * u, out + i)
            FastMath.store(d * g * s, dUp + i)
            FastMath.store(d * u * s * (1 + g * (1 - s)), dGate + i)
            i += 8
        }
        while i < range.upperBound {
            let g = gate[i]
            let e = exp(-g)
            let s = 1 / (1 + e)
            out[i] = g / (1 + e) * up[i]  // as `forwardSpan` writes it, to the bit
            dUp[i] = dOut[i] * g * s
            dGate[i] = dOut[i] * up[i] * s * (1 + g * (1 - s))
            i += 1
        }
    }
}

import Foundation
import TRMCore
import TRMModel

/// The machine's CBLAS sgemm rate on the matrix shapes one ACT step of a config issues, so an
/// achieved GFLOP/s can be read against what the BLAS library itself reaches on them.
enum GEMMCeiling {
    /// Which products a measurement runs: the forward pass alone, or forward and backward.
    enum Pass { case training, inference }

    /// One product `C[m, n] = op(A)[m, k] · op(B)[k, n]` and how often one ACT step issues it.
    struct Shape {
        var transA: Bool, transB: Bool, m: Int, n: Int, k: Int
        /// Calls per ACT step.
        var count: Int
        /// Calls issued together as one loop spread over the workers with a single-threaded BLAS
        /// each (the attention's (sequence, head) pairs); 1 for products BLAS threads itself.
        var concurrent = 1
        var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    /// Every GEMM of one ACT step at batch `batch`, as the engine issues them (position-major
    /// rows; attention per sequence and head; the lm head per sequence). Inference runs the
    /// forward of all H_cycles · (L_cycles + 1) calls of L_layers blocks and the heads; training
    /// adds the backward of the recorded cycle's (L_cycles + 1) · L_layers blocks and of the heads.
    /// The Q head (two dot products per sequence) is a loop, not a GEMM, so it is not listed.
    static func shapes(_ c: TRMConfig, batch: Int, pass: Pass) -> [Shape] {
        let blocks = c.H_cycles * (c.L_cycles + 1) * c.L_layers
        var shapes = blockForward(c, batch: batch).map { Shape(from: $0, times: blocks) }
        shapes.append(Shape(transA: false, transB: true, m: c.seq_len, n: c.vocab_size, k: c.hidden_size, count: batch))
        guard pass == .training else { return shapes }
        let recorded = (c.L_cycles + 1) * c.L_layers
        shapes += blockBackward(c, batch: batch).map { Shape(from: $0, times: recorded) }
        shapes += [
            Shape(transA: false, transB: false, m: c.seq_len, n: c.hidden_size, k: c.vocab_size, count: batch),
            Shape(transA: true, transB: false, m: c.vocab_size, n: c.hidden_size, k: c.seq_len, count: batch),
        ]
        return shapes
    }

    /// The forward products of one block application (`count` = calls per application).
    private static func blockForward(_ c: TRMConfig, batch: Int) -> [Shape] {
        let (l, d, m, width) = (c.totalLength, c.hidden_size, batch * c.totalLength, c.channelMLPWidth)
        let channel = [
            Shape(transA: false, transB: true, m: m, n: 2 * width, k: d, count: 1),
            Shape(transA: false, transB: true, m: m, n: d, k: width, count: 1),
        ]
        if c.mlp_t {
            let (tokens, n) = (c.tokenMLPWidth, batch * d)
            return channel + [
                Shape(transA: false, transB: false, m: 2 * tokens, n: n, k: l, count: 1),
                Shape(transA: false, transB: false, m: l, n: n, k: tokens, count: 1),
            ]
        }
        let (h, inner, pairs) = (c.headDim, c.num_heads * c.headDim, batch * c.num_heads)
        return channel + [
            Shape(transA: false, transB: true, m: m, n: 3 * inner, k: d, count: 1),
            Shape(transA: false, transB: true, m: m, n: d, k: inner, count: 1),
            Shape(transA: false, transB: true, m: l, n: l, k: h, count: pairs, concurrent: pairs),
            Shape(transA: false, transB: false, m: l, n: h, k: l, count: pairs, concurrent: pairs),
        ]
    }

    /// The backward products of one block application: input and weight gradient of each
    /// forward product (`count` = calls per application).
    private static func blockBackward(_ c: TRMConfig, batch: Int) -> [Shape] {
        let (l, d, m, width) = (c.totalLength, c.hidden_size, batch * c.totalLength, c.channelMLPWidth)
        let channel = [
            Shape(transA: false, transB: false, m: m, n: width, k: d, count: 1), Shape(transA: true, transB: false, m: d, n: width, k: m, count: 1),
            Shape(transA: true, transB: false, m: 2 * width, n: d, k: m, count: 1),
            Shape(transA: false, transB: false, m: m, n: d, k: 2 * width, count: 1),
        ]
        if c.mlp_t {
            let (tokens, n) = (c.tokenMLPWidth, batch * d)
            return channel + [
                Shape(transA: true, transB: false, m: tokens, n: n, k: l, count: 1),
                Shape(transA: false, transB: true, m: l, n: tokens, k: n, count: 1),
                Shape(transA: false, transB: true, m: 2 * tokens, n: l, k: n, count: 1),
                Shape(transA: true, transB: false, m: l, n: n, k: 2 * tokens, count: 1),
            ]
        }
        let (h, inner, pairs) = (c.headDim, c.num_heads * c.headDim, batch * c.num_heads)
        return channel + [
            Shape(transA: false, transB: false, m: m, n: inner, k: d, count: 1), Shape(transA: true, transB: false, m: d, n: inner, k: m, count: 1),
            // q kᵀ again (the probabilities are recomputed, not kept), then dO vᵀ: the same shape.
            Shape(transA: false, transB: true, m: l, n: l, k: h, count: 2 * pairs, concurrent: pairs),
            Shape(transA: true, transB: false, m: l, n: h, k: l, count: 2 * pairs, concurrent: pairs),
            Shape(transA: false, transB: false, m: l, n: h, k: l, count: pairs, concurrent: pairs),
            Shape(transA: true, transB: false, m: 3 * inner, n: d, k: m, count: 1),
            Shape(transA: false, transB: false, m: m, n: d, k: 3 * inner, count: 1),
        ]
    }

    /// GFLOP/s of sgemm over one ACT step's products: their FLOPs over the time the library takes
    /// for them, each shape timed as the best of five rounds of at least 0.04 s and weighted by its calls per step.
    static func rate(_ shapes: [Shape]) -> Double {
        var flops = 0.0
        var seconds = 0.0
        for shape in shapes {
            seconds += secondsPerCall(shape) * Double(shape.count)
            flops += shape.flops * Double(shape.count)
        }
        return flops / seconds / 1e9
    }

    /// Seconds per call: concurrent calls are timed as one loop over the workers (each with its
    /// own output, BLAS single-threaded), the way the attention pairs run.
    private static func secondsPerCall(_ shape: Shape) -> Double {
        let parts = min(Parallel.threads, shape.concurrent)
        let a = FloatBuffer(count: shape.m * shape.k)
        let b = FloatBuffer(count: shape.k * shape.n)
        let c = FloatBuffer(count: parts * shape.m * shape.n)
        for i in 0..<a.count { a[i] = Float(i % 7) * 0.01 }
        for i in 0..<b.count { b[i] = Float(i % 5) * 0.01 }
        let lda = shape.transA ? shape.m : shape.k
        let ldb = shape.transB ? shape.k : shape.n
        func product(_ part: Int) {
            BLAS.gemm(
                transA: shape.transA, transB: shape.transB, m: shape.m, n: shape.n, k: shape.k, a.pointer, lda: lda, b.pointer, ldb: ldb,
                c.pointer + part * shape.m * shape.n, ldc: shape.n)
        }
        func once() {
            if parts > 1 {
                BLAS.singleThreaded { Parallel.forEachChunk(shape.concurrent, parts: parts) { part, calls in calls.forEach { _ in product(part) } } }
            } else {
                product(0)
            }
        }
        once()
        // A ceiling is what the library can do: the best of five rounds, so that a round in which
        // BLAS's sleeping threads had to wake up (microsecond products) does not set it.
        var best = Double.infinity
        for _ in 0..<5 {
            var repeats = 0
            let start = now()
            while repeats < 3 || now() - start < 0.04 {
                once()
                repeats += 1
            }
            best = min(best, (now() - start) / Double(repeats))
        }
        return best / Double(parts > 1 ? shape.concurrent : 1)
    }
}

extension GEMMCeiling.Shape {
    /// `shape` issued `times` times as often.
    fileprivate init(from shape: Self, times: Int) {
        self = shape
        count *= times
    }
}

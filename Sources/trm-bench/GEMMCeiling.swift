import Foundation
import TRMCore
import TRMModel

/// The machine's CBLAS sgemm rate on the matrix shapes one block application of a config uses,
/// so an achieved GFLOP/s can be read against what the BLAS library itself reaches on them.
enum GEMMCeiling {
    struct Shape {
        var transA: Bool, transB: Bool, m: Int, n: Int, k: Int
        var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    /// The forward and backward GEMMs of one block application at batch `batch`, as the engine
    /// issues them (position-major rows; attention per sequence and head).
    static func shapes(_ c: TRMConfig, batch: Int) -> [Shape] {
        let l = c.totalLength
        let d = c.hidden_size
        let m = batch * l
        let width = c.channelMLPWidth
        var shapes = [
            Shape(transA: false, transB: true, m: m, n: 2 * width, k: d), Shape(transA: false, transB: true, m: m, n: d, k: width),
            Shape(transA: false, transB: false, m: m, n: width, k: d), Shape(transA: true, transB: false, m: d, n: width, k: m),
            Shape(transA: true, transB: false, m: 2 * width, n: d, k: m), Shape(transA: false, transB: false, m: m, n: d, k: 2 * width),
        ]
        if c.mlp_t {
            let tokens = c.tokenMLPWidth
            let n = batch * d
            shapes += [
                Shape(transA: false, transB: false, m: 2 * tokens, n: n, k: l), Shape(transA: false, transB: false, m: l, n: n, k: tokens),
                Shape(transA: true, transB: false, m: tokens, n: n, k: l), Shape(transA: false, transB: true, m: l, n: tokens, k: n),
                Shape(transA: false, transB: true, m: 2 * tokens, n: l, k: n), Shape(transA: true, transB: false, m: l, n: n, k: 2 * tokens),
            ]
        } else {
            let inner = c.num_heads * c.headDim
            shapes += [
                Shape(transA: false, transB: true, m: m, n: 3 * inner, k: d), Shape(transA: false, transB: true, m: m, n: d, k: inner),
                Shape(transA: false, transB: true, m: l, n: l, k: c.headDim), Shape(transA: false, transB: false, m: l, n: c.headDim, k: l),
            ]
        }
        return shapes
    }

    /// GFLOP/s of sgemm over `shapes` (total FLOPs / total time, each shape timed at least 0.2 s).
    static func rate(_ shapes: [Shape]) -> Double {
        var flops = 0.0
        var seconds = 0.0
        for shape in shapes {
            let a = FloatBuffer(count: shape.m * shape.k)
            let b = FloatBuffer(count: shape.k * shape.n)
            let c = FloatBuffer(count: shape.m * shape.n)
            for i in 0..<a.count { a[i] = Float(i % 7) * 0.01 }
            for i in 0..<b.count { b[i] = Float(i % 5) * 0.01 }
            let lda = shape.transA ? shape.m : shape.k
            let ldb = shape.transB ? shape.k : shape.n
            func once() {
                BLAS.gemm(
                    transA: shape.transA, transB: shape.transB, m: shape.m, n: shape.n, k: shape.k, a.pointer, lda: lda, b.pointer, ldb: ldb,
                    c.pointer, ldc: shape.n)
            }
            once()
            var repeats = 0
            let start = now()
            while repeats < 3 || now() - start < 0.2 {
                once()
                repeats += 1
            }
            seconds += (now() - start) / Double(repeats)
            flops += shape.flops
        }
        return flops / seconds / 1e9
    }
}

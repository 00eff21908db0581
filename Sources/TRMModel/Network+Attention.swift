import TRMCore

/// Multiply-adds (pairs · L² · h) below which the (sequence, head) loop stays on the calling
/// thread: under a few tens of microseconds of work the worker hand-off costs more than it saves.
private let parallelAttentionWork = 1 << 20

/// Self-attention of the block (non-causal, fused qkv, optional RoPE), forward and backward.
///
/// Between the two projections each (sequence, head) pair only reads its own q, k, v columns
/// and writes its own probabilities, output columns and q/k/v gradient columns. The pairs are
/// therefore split over `Parallel.threads` workers, each running its small products on a
/// single-threaded BLAS (a pool per product costs more than these products). A pair computes
/// exactly the same operations on any worker, so the loop's results do not depend on how many
/// workers share it. (OpenBLAS's own multithreaded products, the projections here, are not
/// bit-identical to its single-threaded ones; that was and is a property of the library.)
extension TRMNetwork {
    /// `y1 = X + W_o · concat_heads(softmax(q kᵀ / √h) v)` (before the norm).
    func attentionForward(_ o: ParameterLayout.BlockOffsets, input: UnsafePointer<Float>, _ a: BlockActivations) {
        let heads = config.num_heads
        let h = config.headDim
        let inner = heads * h
        let qkvWidth = 3 * inner
        let scale = 1 / Float(h).squareRoot()
        let qkv = a.mixerHidden.pointer
        let probabilities = a.mixerActivation.pointer
        let output = a.attentionOutput.pointer
        BLAS.gemm(transA: false, transB: true, m: m, n: qkvWidth, k: d, input, lda: d, w(o.mixerIn), ldb: d, qkv, ldc: qkvWidth)
        let rowStride = batchSize * qkvWidth
        forEachAttentionPair(workers: .max) { _, pairs in
            for pair in pairs {
                let (b, head) = pair.quotientAndRemainder(dividingBy: heads)
                let base = qkv + b * qkvWidth
                let q = base + head * h
                let k = base + (heads + head) * h
                let vv = base + (2 * heads + head) * h
                if let rope {
                    rope.apply(q, rows: l, stride: rowStride)
                    rope.apply(k, rows: l, stride: rowStride)
                }
                let probs = probabilities + pair * l * l
                BLAS.gemm(transA: false, transB: true, m: l, n: l, k: h, alpha: scale, q, lda: rowStride, k, ldb: rowStride, probs, ldc: l)
                Softmax.forwardRows(probs, rows: l, cols: l)
                let out = output + b * inner + head * h
                BLAS.gemm(transA: false, transB: false, m: l, n: h, k: l, probs, lda: l, vv, ldb: rowStride, out, ldc: batchSize * inner)
            }
        }
        a.y1.pointer.update(from: input, count: m * d)
        BLAS.gemm(
            transA: false, transB: true, m: m, n: d, k: inner, output, lda: inner, w(o.mixerOut), ldb: inner, beta: 1, a.y1.pointer, ldc: d)
    }

    /// Given `dH` (w.r.t. `y1` before the norm), accumulates the q/k/v and output projection
    /// gradients and writes the gradient w.r.t. the block input into `dInput`.
    func attentionBackward(
        _ o: ParameterLayout.BlockOffsets, input: UnsafePointer<Float>, _ a: BlockActivations, dH: UnsafePointer<Float>,
        dInput: UnsafeMutablePointer<Float>, _ scratch: BackwardScratch
    ) {
        let heads = config.num_heads
        let h = config.headDim
        let inner = heads * h
        let qkvWidth = 3 * inner
        let scale = 1 / Float(h).squareRoot()
        let dOut = scratch.dAttention.pointer
        let dQKV = scratch.dQKV.pointer
        let dScores = scratch.dScores.pointer
        let qkv = a.mixerHidden.pointer
        let probabilities = a.mixerActivation.pointer
        BLAS.gemm(transA: false, transB: false, m: m, n: inner, k: d, dH, lda: d, w(o.mixerOut), ldb: inner, dOut, ldc: inner)
        BLAS.gemm(
            transA: true, transB: false, m: d, n: inner, k: m, dH, lda: d, a.attentionOutput.pointer, ldb: inner, beta: 1, g(o.mixerOut), ldc: inner)
        let rowStride = batchSize * qkvWidth
        let outStride = batchSize * inner
        forEachAttentionPair(workers: scratch.dScores.count / (l * l)) { worker, pairs in
            let dS = dScores + worker * l * l
            for pair in pairs {
                let (b, head) = pair.quotientAndRemainder(dividingBy: heads)
                let base = qkv + b * qkvWidth
                let dBase = dQKV + b * qkvWidth
                let q = base + head * h
                let k = base + (heads + head) * h
                let vv = base + (2 * heads + head) * h
                let dq = dBase + head * h
                let dk = dBase + (heads + head) * h
                let dv = dBase + (2 * heads + head) * h
                let probs = probabilities + pair * l * l
                let dO = dOut + b * inner + head * h
                BLAS.gemm(transA: false, transB: true, m: l, n: l, k: h, dO, lda: outStride, vv, ldb: rowStride, dS, ldc: l)
                BLAS.gemm(transA: true, transB: false, m: l, n: h, k: l, probs, lda: l, dO, ldb: outStride, dv, ldc: rowStride)
                Softmax.backwardRows(p: probs, dS, rows: l, cols: l)
                BLAS.gemm(transA: false, transB: false, m: l, n: h, k: l, alpha: scale, dS, lda: l, k, ldb: rowStride, dq, ldc: rowStride)
                BLAS.gemm(transA: true, transB: false, m: l, n: h, k: l, alpha: scale, dS, lda: l, q, ldb: rowStride, dk, ldc: rowStride)
                if let rope {
                    rope.apply(dq, rows: l, stride: rowStride, inverse: true)
                    rope.apply(dk, rows: l, stride: rowStride, inverse: true)
                }
            }
        }
        BLAS.gemm(transA: true, transB: false, m: qkvWidth, n: d, k: m, dQKV, lda: qkvWidth, input, ldb: d, beta: 1, g(o.mixerIn), ldc: d)
        dInput.update(from: dH, count: m * d)
        BLAS.gemm(transA: false, transB: false, m: m, n: d, k: qkvWidth, dQKV, lda: qkvWidth, w(o.mixerIn), ldb: d, beta: 1, dInput, ldc: d)
    }

    /// Calls `body(worker, pairs)` over the B · heads (sequence, head) pairs, pair index
    /// `b · heads + head`: in contiguous chunks on up to `workers` workers (and `Parallel.threads`)
    /// with BLAS single-threaded, or inline on one chunk when the loop is too small to split.
    private func forEachAttentionPair(workers: Int, _ body: (_ worker: Int, _ pairs: Range<Int>) -> Void) {
        let pairs = batchSize * config.num_heads
        let work = pairs * l * l * config.headDim
        let parts = work < parallelAttentionWork ? 1 : min(Parallel.threads, pairs, workers)
        if parts > 1 {
            BLAS.singleThreaded { Parallel.forEachChunk(pairs, parts: parts, body) }
        } else {
            body(0, 0..<pairs)
        }
    }
}

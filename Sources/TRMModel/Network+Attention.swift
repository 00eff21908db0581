import TRMCore

/// Multiply-adds (pairs · L² · h) below which the (sequence, head) loop stays on the calling
/// thread: under a few tens of microseconds of work the worker hand-off costs more than it saves.
private let parallelAttentionWork = 1 << 20

/// Self-attention of the block (non-causal, fused qkv, optional RoPE), forward and backward.
///
/// Between the two projections each (sequence, head) pair only reads its own q, k, v columns
/// and writes its own output columns and q/k/v gradient columns; its probabilities live in its
/// worker's slice of the workspace only while the pair is processed (the backward pass
/// recomputes them from the saved, rotated q and k rather than keeping B·H·L² values per
/// block). The pairs are therefore split over `Parallel.threads` workers, each running its small products on a
/// single-threaded BLAS (a pool per product costs more than these products). A pair computes
/// exactly the same operations on any worker, so the loop's results do not depend on how many
/// workers share it. (OpenBLAS's own multithreaded products, the projections here, are not
/// bit-identical to its single-threaded ones; that was and is a property of the library.)
extension TRMNetwork {
    /// `y1 = X + W_o · concat_heads(softmax(q kᵀ / √h) v)` (before the norm).
    func attentionForward(_ o: ParameterLayout.BlockOffsets, input: UnsafePointer<Float>, _ a: BlockActivations) {
        let inner = config.num_heads * config.headDim
        let qkv = a.mixerHidden.pointer
        let output = a.attentionOutput.pointer
        BLAS.gemm(transA: false, transB: true, m: m, n: 3 * inner, k: d, input, lda: d, w(o.mixerIn), ldb: d, qkv, ldc: 3 * inner)
        forEachAttentionPair { probabilities, _, pairs in
            for pair in pairs {
                let head = headColumns(qkv, pair: pair)
                if let rope {
                    rope.apply(head.q, rows: l, stride: head.stride)
                    rope.apply(head.k, rows: l, stride: head.stride)
                }
                attentionProbabilities(head, into: probabilities)
                let out = output + head.sequence * inner + head.index * config.headDim
                BLAS.gemm(
                    transA: false, transB: false, m: l, n: config.headDim, k: l, probabilities, lda: l, head.v, ldb: head.stride, out,
                    ldc: batchSize * inner)
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
        let h = config.headDim
        let inner = config.num_heads * h
        let qkvWidth = 3 * inner
        let scale = 1 / Float(h).squareRoot()
        let dOut = scratch.dAttention.pointer
        let dQKV = scratch.dQKV.pointer
        let qkv = a.mixerHidden.pointer
        BLAS.gemm(transA: false, transB: false, m: m, n: inner, k: d, dH, lda: d, w(o.mixerOut), ldb: inner, dOut, ldc: inner)
        BLAS.gemm(
            transA: true, transB: false, m: d, n: inner, k: m, dH, lda: d, a.attentionOutput.pointer, ldb: inner, beta: 1, g(o.mixerOut), ldc: inner)
        let outStride = batchSize * inner
        forEachAttentionPair { probabilities, dS, pairs in
            for pair in pairs {
                let head = headColumns(qkv, pair: pair)
                let dHead = headColumns(dQKV, pair: pair)
                let dO = dOut + head.sequence * inner + head.index * h
                attentionProbabilities(head, into: probabilities)
                BLAS.gemm(transA: false, transB: true, m: l, n: l, k: h, dO, lda: outStride, head.v, ldb: head.stride, dS, ldc: l)
                BLAS.gemm(transA: true, transB: false, m: l, n: h, k: l, probabilities, lda: l, dO, ldb: outStride, dHead.v, ldc: head.stride)
                Softmax.backwardRows(p: probabilities, dS, rows: l, cols: l)
                BLAS.gemm(
                    transA: false, transB: false, m: l, n: h, k: l, alpha: scale, dS, lda: l, head.k, ldb: head.stride, dHead.q, ldc: head.stride)
                BLAS.gemm(
                    transA: true, transB: false, m: l, n: h, k: l, alpha: scale, dS, lda: l, head.q, ldb: head.stride, dHead.k, ldc: head.stride)
                if let rope {
                    rope.apply(dHead.q, rows: l, stride: head.stride, inverse: true)
                    rope.apply(dHead.k, rows: l, stride: head.stride, inverse: true)
                }
            }
        }
        BLAS.gemm(transA: true, transB: false, m: qkvWidth, n: d, k: m, dQKV, lda: qkvWidth, input, ldb: d, beta: 1, g(o.mixerIn), ldc: d)
        dInput.update(from: dH, count: m * d)
        BLAS.gemm(transA: false, transB: false, m: m, n: d, k: qkvWidth, dQKV, lda: qkvWidth, w(o.mixerIn), ldb: d, beta: 1, dInput, ldc: d)
    }

    /// One (sequence, head) pair's columns in a `[M, 3·H·h]` q/k/v matrix (or its gradient).
    struct HeadColumns {
        let sequence: Int, index: Int
        let q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
        /// Distance between consecutive positions of one column (position-major rows).
        let stride: Int
    }

    /// The columns of pair `b · heads + head` in `matrix`.
    @inline(__always) func headColumns(_ matrix: UnsafeMutablePointer<Float>, pair: Int) -> HeadColumns {
        let heads = config.num_heads
        let h = config.headDim
        let (b, head) = pair.quotientAndRemainder(dividingBy: heads)
        let base = matrix + b * 3 * heads * h
        return HeadColumns(
            sequence: b, index: head, q: base + head * h, k: base + (heads + head) * h, v: base + (2 * heads + head) * h,
            stride: batchSize * 3 * heads * h)
    }

    /// `softmax(q kᵀ / √h)` `[L, L]` of one pair (q and k already rotated). The forward pass and
    /// the backward pass's recomputation share this code, so both see the same probabilities.
    @inline(__always) func attentionProbabilities(_ head: HeadColumns, into probabilities: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(config.headDim).squareRoot()
        BLAS.gemm(
            transA: false, transB: true, m: l, n: l, k: config.headDim, alpha: scale, head.q, lda: head.stride, head.k, ldb: head.stride,
            probabilities, ldc: l)
        Softmax.forwardRows(probabilities, rows: l, cols: l)
    }

    /// Calls `body(probabilities, scoreGradients, pairs)` over the B · heads (sequence, head)
    /// pairs, pair index `b · heads + head`: in contiguous chunks on up to `Parallel.threads`
    /// workers (each with its own `[L, L]` workspace slices) with BLAS single-threaded, or inline
    /// on one chunk when the loop is too small to split.
    private func forEachAttentionPair(
        _ body: (_ probabilities: UnsafeMutablePointer<Float>, _ scoreGradients: UnsafeMutablePointer<Float>, _ pairs: Range<Int>) -> Void
    ) {
        let pairs = batchSize * config.num_heads
        let work = pairs * l * l * config.headDim
        let parts = work < parallelAttentionWork ? 1 : min(Parallel.threads, pairs, workspace.pairWorkers)
        let slices = workspace.pairSlices.pointer
        let slice = l * l
        func run(_ worker: Int, _ range: Range<Int>) { body(slices + 2 * worker * slice, slices + (2 * worker + 1) * slice, range) }
        if parts > 1 {
            BLAS.singleThreaded { Parallel.forEachChunk(pairs, parts: parts, run) }
        } else {
            run(0, 0..<pairs)
        }
    }
}

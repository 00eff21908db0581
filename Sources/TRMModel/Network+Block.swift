import TRMCore

/// The post-norm block, forward and backward, both variants (§5.4; attention in Network+Attention.swift):
/// attention: `Z ← rms_D(Z + Attn(Z)); Z ← rms_D(Z + SwiGLU_D(Z))`;
/// mlp_t: `U ← rms_L(U + SwiGLU_L(U))` over positions, then the same channel MLP.
extension TRMNetwork {
    /// Runs block `index` on `input` `[M, D]`, saving its activations in `a`; the output is `a.y2`.
    func blockForward(_ index: Int, input: UnsafePointer<Float>, _ a: BlockActivations) {
        let offsets = parameters.layout.blocks[index]
        let eps = Float(config.rms_norm_eps)
        if config.mlp_t {
            tokenMixerForward(offsets, input: input, a)
            RMSNorm.forwardColumns(a.y1.pointer, a.y1.pointer, invRMS: a.r1.pointer, rows: l, cols: batchSize * d, eps: eps)
        } else {
            attentionForward(offsets, input: input, a)
            RMSNorm.forwardRows(a.y1.pointer, a.y1.pointer, invRMS: a.r1.pointer, rows: m, cols: d, eps: eps)
        }
        channelMLPForward(offsets, a)
        RMSNorm.forwardRows(a.y2.pointer, a.y2.pointer, invRMS: a.r2.pointer, rows: m, cols: d, eps: eps)
    }

    /// Back-propagates `dOutput` (w.r.t. `a.y2`, overwritten) through block `index`, accumulating
    /// parameter gradients and writing the gradient w.r.t. the block input into `dInput`.
    func blockBackward(
        _ index: Int, input: UnsafePointer<Float>, _ a: BlockActivations, dOutput: UnsafeMutablePointer<Float>,
        dInput: UnsafeMutablePointer<Float>, _ scratch: BackwardScratch
    ) {
        let offsets = parameters.layout.blocks[index]
        RMSNorm.backwardRows(dOutput, y: a.y2.pointer, invRMS: a.r2.pointer, dOutput, rows: m, cols: d)
        channelMLPBackward(offsets, a, dOutput: dOutput, dY1: scratch.dY1.pointer, scratch)
        if config.mlp_t {
            RMSNorm.backwardColumns(
                scratch.dY1.pointer, y: a.y1.pointer, invRMS: a.r1.pointer, scratch.dY1.pointer, rows: l, cols: batchSize * d,
                scratch: scratch.columns.pointer)
            tokenMixerBackward(offsets, input: input, a, dH: scratch.dY1.pointer, dInput: dInput, scratch)
        } else {
            RMSNorm.backwardRows(scratch.dY1.pointer, y: a.y1.pointer, invRMS: a.r1.pointer, scratch.dY1.pointer, rows: m, cols: d)
            attentionBackward(offsets, input: input, a, dH: scratch.dY1.pointer, dInput: dInput, scratch)
        }
    }

    // MARK: Channel SwiGLU (width D)

    /// `y2 = y1 + W_down · (silu(g) ⊙ u)` with `[g; u] = W_gu · y1` (before the final norm).
    private func channelMLPForward(_ o: ParameterLayout.BlockOffsets, _ a: BlockActivations) {
        let width = config.channelMLPWidth
        let activation = workspace.activation.pointer
        BLAS.gemm(transA: false, transB: true, m: m, n: 2 * width, k: d, a.y1.pointer, lda: d, w(o.gateUp), ldb: d, a.gateUp.pointer, ldc: 2 * width)
        SiLUGate.forwardRows(gateUp: a.gateUp.pointer, out: activation, rows: m, width: width)
        a.y2.pointer.update(from: a.y1.pointer, count: m * d)
        BLAS.gemm(transA: false, transB: true, m: m, n: d, k: width, activation, lda: width, w(o.down), ldb: width, beta: 1, a.y2.pointer, ldc: d)
    }

    /// Given `dOutput` (w.r.t. the pre-norm sum `y1 + mlp`), writes `dY1` = residual + MLP path.
    private func channelMLPBackward(
        _ o: ParameterLayout.BlockOffsets, _ a: BlockActivations, dOutput: UnsafePointer<Float>,
        dY1: UnsafeMutablePointer<Float>, _ scratch: BackwardScratch
    ) {
        let width = config.channelMLPWidth
        let dAct = scratch.dActivation.pointer
        let dGU = scratch.dGateUp.pointer
        let activation = workspace.activation.pointer
        BLAS.gemm(transA: false, transB: false, m: m, n: width, k: d, dOutput, lda: d, w(o.down), ldb: width, dAct, ldc: width)
        SiLUGate.backwardRows(gateUp: a.gateUp.pointer, dOut: dAct, dGateUp: dGU, out: activation, rows: m, width: width)
        BLAS.gemm(transA: true, transB: false, m: d, n: width, k: m, dOutput, lda: d, activation, ldb: width, beta: 1, g(o.down), ldc: width)
        BLAS.gemm(transA: true, transB: false, m: 2 * width, n: d, k: m, dGU, lda: 2 * width, a.y1.pointer, ldb: d, beta: 1, g(o.gateUp), ldc: d)
        dY1.update(from: dOutput, count: m * d)
        BLAS.gemm(transA: false, transB: false, m: m, n: d, k: 2 * width, dGU, lda: 2 * width, w(o.gateUp), ldb: d, beta: 1, dY1, ldc: d)
    }

    // MARK: Token-mixing SwiGLU over positions (mlp_t)

    /// In the position-major layout the input is one `[L, N]` matrix with N = B·D, so the MLP over
    /// positions is `GU = W_gu · X` `[2·I_L, N]`, `A = silu(G) ⊙ U`, `y1 = X + W_down · A`
    /// (before the norm over positions): four large products and no transposes.
    private func tokenMixerForward(_ o: ParameterLayout.BlockOffsets, input: UnsafePointer<Float>, _ a: BlockActivations) {
        let width = config.tokenMLPWidth
        let n = batchSize * d
        let gu = a.mixerHidden.pointer
        let activation = workspace.activation.pointer
        BLAS.gemm(transA: false, transB: false, m: 2 * width, n: n, k: l, w(o.mixerIn), lda: l, input, ldb: n, gu, ldc: n)
        SiLUGate.forward(gate: gu, up: gu + width * n, out: activation, count: width * n)
        a.y1.pointer.update(from: input, count: l * n)
        BLAS.gemm(transA: false, transB: false, m: l, n: n, k: width, w(o.mixerOut), lda: width, activation, ldb: n, beta: 1, a.y1.pointer, ldc: n)
    }

    private func tokenMixerBackward(
        _ o: ParameterLayout.BlockOffsets, input: UnsafePointer<Float>, _ a: BlockActivations, dH: UnsafePointer<Float>,
        dInput: UnsafeMutablePointer<Float>, _ scratch: BackwardScratch
    ) {
        let width = config.tokenMLPWidth
        let n = batchSize * d
        let gu = a.mixerHidden.pointer
        let dAct = scratch.dActivation.pointer
        let dGU = scratch.dGateUp.pointer
        let activation = workspace.activation.pointer
        BLAS.gemm(transA: true, transB: false, m: width, n: n, k: l, w(o.mixerOut), lda: width, dH, ldb: n, dAct, ldc: n)
        SiLUGate.backward(gate: gu, up: gu + width * n, dOut: dAct, dGate: dGU, dUp: dGU + width * n, out: activation, count: width * n)
        BLAS.gemm(transA: false, transB: true, m: l, n: width, k: n, dH, lda: n, activation, ldb: n, beta: 1, g(o.mixerOut), ldc: width)
        BLAS.gemm(transA: false, transB: true, m: 2 * width, n: l, k: n, dGU, lda: n, input, ldb: n, beta: 1, g(o.mixerIn), ldc: l)
        dInput.update(from: dH, count: l * n)
        BLAS.gemm(transA: true, transB: false, m: l, n: n, k: 2 * width, w(o.mixerIn), lda: l, dGU, ldb: n, beta: 1, dInput, ldc: n)
    }
}

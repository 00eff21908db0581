import TRMCore

/// What one block application saves in its forward pass for its backward pass.
///
/// Shapes use M = B·L rows. Only what cannot be recomputed cheaply is kept: the products of
/// the weight matrices and the normalised outputs. The SwiGLU activations `silu(g) ⊙ u` are
/// rewritten by the SwiGLU backward kernel from the saved gate/up products (it computes the
/// sigmoid anyway), and the attention probabilities are recomputed from the saved q and k (one
/// `q kᵀ` product and softmax per sequence and head). That removes about a third of the training
/// memory.
final class BlockActivations {
    /// Attention: `[M, 3·H·h]` q (rotated), k (rotated), v.  mlp_t: `[2·I_L, B·D]` gate/up.
    let mixerHidden: FloatBuffer
    /// Attention only: `[M, H·h]` concatenated head outputs before o_proj.
    let attentionOutput: FloatBuffer
    /// First post-norm output `[M, D]` and its inverse RMS (`[M]`, or `[B·D]` for mlp_t).
    let y1: FloatBuffer
    let r1: FloatBuffer
    /// Channel SwiGLU gate/up `[M, 2·I_D]`, each row its I_D gates then its I_D ups.
    let gateUp: FloatBuffer
    /// Block output `[M, D]` and its inverse RMS `[M]`.
    let y2: FloatBuffer
    let r2: FloatBuffer

    init(config c: TRMConfig, batchSize b: Int) {
        let l = c.totalLength
        let m = b * l
        let d = c.hidden_size
        if c.mlp_t {
            mixerHidden = FloatBuffer(count: b * 2 * c.tokenMLPWidth * d)
            attentionOutput = FloatBuffer(count: 0)
            r1 = FloatBuffer(count: b * d)
        } else {
            let inner = c.num_heads * c.headDim
            mixerHidden = FloatBuffer(count: m * 3 * inner)
            attentionOutput = FloatBuffer(count: m * inner)
            r1 = FloatBuffer(count: m)
        }
        y1 = FloatBuffer(count: m * d)
        gateUp = FloatBuffer(count: m * 2 * c.channelMLPWidth)
        y2 = FloatBuffer(count: m * d)
        r2 = FloatBuffer(count: m)
    }
}

/// One call of the shared reasoning network f(z, injection): its summed input and its blocks.
final class CallActivations {
    /// `z + injection`, the first block's input `[M, D]`.
    let input: FloatBuffer
    let blocks: [BlockActivations]

    init(config: TRMConfig, batchSize: Int) {
        input = FloatBuffer(count: batchSize * config.totalLength * config.hidden_size)
        blocks = (0..<config.L_layers).map { _ in BlockActivations(config: config, batchSize: batchSize) }
    }

    /// The call's output (the last block's output).
    var output: FloatBuffer { blocks[blocks.count - 1].y2 }

    /// The input of block `i`.
    func blockInput(_ i: Int) -> FloatBuffer { i == 0 ? input : blocks[i - 1].y2 }
}

/// Working memory of one block application that is not kept between passes: the forward pass
/// and the backward pass of any block use it in turn (never at once).
final class BlockWorkspace {
    /// SwiGLU activations `silu(g) ⊙ u`: max of `[M, I_D]` and `[I_L, B·D]`.
    let activation: FloatBuffer
    /// Attention: per worker of the (sequence, head) loop, an `[L, L]` probability slice and an
    /// `[L, L]` score-gradient slice, worker w's at `2·w·L²`.
    let pairSlices: FloatBuffer
    /// Workers the (sequence, head) loop may use: one pair of slices each.
    let pairWorkers: Int

    init(config c: TRMConfig, batchSize b: Int) {
        let l = c.totalLength
        let tokenWidth = c.mlp_t ? c.tokenMLPWidth : 0
        activation = FloatBuffer(count: max(b * l * c.channelMLPWidth, b * tokenWidth * c.hidden_size))
        // Sized for the thread count at creation (set it first); fewer workers only use fewer slices.
        pairWorkers = c.mlp_t ? 0 : max(1, min(Parallel.threads, b * c.num_heads))
        pairSlices = FloatBuffer(count: 2 * pairWorkers * l * l)
    }
}

/// Scratch buffers for the backward pass, sized once.
final class BackwardScratch {
    let gradA: FloatBuffer  // [M, D]
    let gradB: FloatBuffer  // [M, D]
    let dY1: FloatBuffer  // [M, D]
    let dInput: FloatBuffer  // [M, D] gradient w.r.t. the input embedding, accumulated
    let dGateUp: FloatBuffer  // max of [M, 2·I_D] and [B, 2·I_L, D]
    let dActivation: FloatBuffer  // max of [M, I_D] and [B, I_L, D]
    let dQKV: FloatBuffer  // [M, 3·H·h]
    let dAttention: FloatBuffer  // [M, H·h]
    let columns: FloatBuffer  // [B·D]

    init(config c: TRMConfig, batchSize b: Int) {
        let l = c.totalLength
        let m = b * l
        let d = c.hidden_size
        gradA = FloatBuffer(count: m * d)
        gradB = FloatBuffer(count: m * d)
        dY1 = FloatBuffer(count: m * d)
        dInput = FloatBuffer(count: m * d)
        let tokenWidth = c.mlp_t ? c.tokenMLPWidth : 0
        dGateUp = FloatBuffer(count: max(m * 2 * c.channelMLPWidth, b * 2 * tokenWidth * d))
        dActivation = FloatBuffer(count: max(m * c.channelMLPWidth, b * tokenWidth * d))
        let inner = c.mlp_t ? 0 : c.num_heads * c.headDim
        dQKV = FloatBuffer(count: m * 3 * inner)
        dAttention = FloatBuffer(count: m * inner)
        columns = FloatBuffer(count: b * d)
    }
}

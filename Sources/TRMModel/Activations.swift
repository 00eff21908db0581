import TRMCore

/// What one block application saves in its forward pass for its backward pass.
///
/// Shapes use M = B·L rows. The attention variant keeps the rotated q/k and v, the attention
/// probabilities and the pre-projection head outputs; the token-mixing variant keeps its
/// `[2·I_L, D]` gate/up products and activations per sequence. Both keep the two normalised
/// outputs with their inverse RMS and the channel MLP's gate/up products and activations.
final class BlockActivations {
    /// Attention: `[M, 3·H·h]` q (rotated), k (rotated), v.  mlp_t: `[2·I_L, B·D]` gate/up.
    let mixerHidden: FloatBuffer
    /// Attention: `[B, H, L, L]` probabilities.  mlp_t: `[I_L, B·D]` silu(gate)·up.
    let mixerActivation: FloatBuffer
    /// Attention only: `[M, H·h]` concatenated head outputs before o_proj.
    let attentionOutput: FloatBuffer
    /// First post-norm output `[M, D]` and its inverse RMS (`[M]`, or `[B·D]` for mlp_t).
    let y1: FloatBuffer
    let r1: FloatBuffer
    /// Channel SwiGLU gate/up `[M, 2·I_D]` and activation `[M, I_D]`.
    let gateUp: FloatBuffer
    let activation: FloatBuffer
    /// Block output `[M, D]` and its inverse RMS `[M]`.
    let y2: FloatBuffer
    let r2: FloatBuffer

    init(config c: TRMConfig, batchSize b: Int) {
        let l = c.totalLength
        let m = b * l
        let d = c.hidden_size
        if c.mlp_t {
            mixerHidden = FloatBuffer(count: b * 2 * c.tokenMLPWidth * d)
            mixerActivation = FloatBuffer(count: b * c.tokenMLPWidth * d)
            attentionOutput = FloatBuffer(count: 0)
            r1 = FloatBuffer(count: b * d)
        } else {
            let inner = c.num_heads * c.headDim
            mixerHidden = FloatBuffer(count: m * 3 * inner)
            mixerActivation = FloatBuffer(count: b * c.num_heads * l * l)
            attentionOutput = FloatBuffer(count: m * inner)
            r1 = FloatBuffer(count: m)
        }
        y1 = FloatBuffer(count: m * d)
        gateUp = FloatBuffer(count: m * 2 * c.channelMLPWidth)
        activation = FloatBuffer(count: m * c.channelMLPWidth)
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
    /// Attention score gradients `[workers, L, L]`: one slice per worker of the (sequence, head) loop.
    let dScores: FloatBuffer
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
        // Sized for the thread count at creation (set it first); fewer slices only mean fewer workers.
        let workers = max(1, min(Parallel.threads, b * c.num_heads))
        dScores = FloatBuffer(count: c.mlp_t ? 0 : workers * l * l)
        columns = FloatBuffer(count: b * d)
    }
}

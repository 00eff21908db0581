import TRMCore

/// The TRM network bound to a batch size: parameters, gradients and every activation buffer,
/// allocated once. One `innerStep` is one ACT step of the reference's inner model (§6 of the spec).
///
/// Shape letters: B batch, S tokens, P puzzle prefix, L = P + S, D hidden, V vocabulary,
/// M = B·L rows. Latents and activations are stored position-major, `[L, B, D]`: row
/// `position · B + b`. Row-wise work (channel MLP, norms, projections) does not care, and the
/// token-mixing MLP then sees one `[L, B·D]` matrix, so each of its products is a single GEMM.
public final class TRMNetwork {
    /// The model shape.
    public let config: TRMConfig
    /// The weights the network reads (and, when trainable, the optimizer updates in place).
    public let parameters: ModelParameters
    /// Sequences per step B; every scratch buffer is sized for it.
    public let batchSize: Int
    /// Gradients of the flat parameters (same layout), accumulated by `backward`.
    public let gradients: FloatBuffer
    /// Gradient per sequence of its puzzle-embedding row `[B, d_p]` (the reference's local_weights.grad).
    public let puzzleRowGradients: FloatBuffer

    let l: Int, d: Int, m: Int, s: Int, v: Int, p: Int
    /// Scaled input embedding X `[M, D]` of the current step.
    let inputEmbedding: FloatBuffer
    /// Token logits `[B, S, V]` of the last step.
    public let logits: FloatBuffer
    /// Q logits `[B, 2]` (halt, continue) of the last step.
    public let qLogits: FloatBuffer
    /// Activations of the gradient cycle's calls (L_cycles z_L updates, then the z_H update).
    let tape: [CallActivations]
    /// Reused activations for calls without gradient. A trainable network lends them the first
    /// tape entry: the calls without gradient of a training step all run before the recorded
    /// cycle overwrites it, so a separate set would only cost memory.
    let scratch: CallActivations
    /// Per-block working memory, shared by every block's forward and backward pass.
    let workspace: BlockWorkspace
    let backwardScratch: BackwardScratch?
    let rope: RotaryTable?
    /// Gradient w.r.t. the logits `[B, S, V]` and Q logits `[B, 2]`, set by the loss head.
    let dLogits: FloatBuffer
    let dQLogits: FloatBuffer
    /// z_H after the last step, kept for the heads' backward.
    let finalZH: FloatBuffer
    /// Tokens `[B, S]` of the last recorded step, for the embedding backward.
    let tokensForBackward: UnsafeMutablePointer<Int32>

    /// A network over `parameters` with every activation buffer sized for `batchSize` sequences.
    /// - Parameters:
    ///   - parameters: the weights to read (shared, not copied; training updates them in place).
    ///   - batchSize: sequences per step B.
    ///   - trainable: allocate the gradient tape and backward buffers.
    public init(parameters: ModelParameters, batchSize: Int, trainable: Bool = true) {
        let c = parameters.config
        config = c
        self.parameters = parameters
        self.batchSize = batchSize
        l = c.totalLength
        d = c.hidden_size
        m = batchSize * l
        s = c.seq_len
        v = c.vocab_size
        p = c.puzzlePrefixLength
        gradients = FloatBuffer(count: trainable ? parameters.layout.count : 0)
        puzzleRowGradients = FloatBuffer(count: trainable ? batchSize * c.puzzle_emb_ndim : 0)
        inputEmbedding = FloatBuffer(count: m * d)
        logits = FloatBuffer(count: batchSize * s * v)
        qLogits = FloatBuffer(count: batchSize * 2)
        tape = trainable ? (0...c.L_cycles).map { _ in CallActivations(config: c, batchSize: batchSize) } : []
        scratch = tape.first ?? CallActivations(config: c, batchSize: batchSize)
        workspace = BlockWorkspace(config: c, batchSize: batchSize)
        backwardScratch = trainable ? BackwardScratch(config: c, batchSize: batchSize) : nil
        rope = (!c.mlp_t && c.pos_encodings == .rope) ? RotaryTable(positions: l, headDim: c.headDim, theta: c.rope_theta) : nil
        dLogits = FloatBuffer(count: trainable ? batchSize * s * v : 0)
        dQLogits = FloatBuffer(count: trainable ? batchSize * 2 : 0)
        finalZH = FloatBuffer(count: trainable ? m * d : 0)
        tokensForBackward = .allocate(capacity: batchSize * c.seq_len)
        tokensForBackward.initialize(repeating: 0, count: batchSize * c.seq_len)
    }

    deinit { tokensForBackward.deallocate() }

    /// Whether the network was created with gradient buffers (`trainable: true`), so `backward` may be called.
    public var isTrainable: Bool { backwardScratch != nil }

    /// Row index of (position, sequence) in the position-major layout.
    @inline(__always) func row(_ position: Int, _ b: Int) -> Int { position * batchSize + b }

    /// Pointer to parameter values at a layout offset.
    @inline(__always) func w(_ offset: Int) -> UnsafeMutablePointer<Float> { parameters.values.pointer + offset }
    /// Pointer to gradient values at a layout offset.
    @inline(__always) func g(_ offset: Int) -> UnsafeMutablePointer<Float> { gradients.pointer + offset }
}

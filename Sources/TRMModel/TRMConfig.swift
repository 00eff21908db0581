import Foundation

/// Position encoding of the attention variant.
public enum PositionEncoding: String, Codable, Sendable, CaseIterable {
    /// Rotary embedding inside attention (rotate-half layout).
    case rope
    /// A learned `[L, D]` table added to the input embedding.
    case learned
    /// Nothing.
    case none
}

/// The model configuration, with the reference's field names (`TinyRecursiveReasoningModel_ACTV1Config`)
/// and defaults. Decodes from and encodes to JSON with exactly those names.
public struct TRMConfig: Codable, Equatable, Hashable, Sendable {
    /// Tokens per puzzle (S).
    public var seq_len: Int
    /// Token vocabulary size (V), pad 0 included.
    public var vocab_size: Int
    /// Hidden width (D).
    public var hidden_size: Int = 512
    /// SwiGLU width factor.
    public var expansion: Double = 4
    /// SwiGLU widths round up to a multiple of this. The reference fixes it at 256, which on small
    /// models makes the widths several times what `expansion` asks for (hidden 64 at expansion 2:
    /// 256 instead of 85).
    public var swiglu_multiple: Int = referenceSwiGLUMultiple
    /// The reference's fixed SwiGLU multiple.
    public static let referenceSwiGLUMultiple = 256
    /// Attention heads (required by the reference even for mlp_t).
    public var num_heads: Int = 8
    /// Blocks of the single shared reasoning network.
    public var L_layers: Int = 2
    /// Outer cycles per ACT step (T); only the last carries gradients.
    public var H_cycles: Int = 3
    /// Latent updates per outer cycle (n).
    public var L_cycles: Int = 6
    /// Position encoding. `rope` acts inside attention only; `learned` adds its table to the input
    /// embedding in both variants (mlp_t included), as the reference does.
    public var pos_encodings: PositionEncoding = .rope
    /// Token-mixing MLP over positions instead of attention.
    public var mlp_t: Bool = false
    /// Width of the puzzle embedding (0 disables it).
    public var puzzle_emb_ndim: Int = 0
    /// Prefix slots (P); 0 means ceil(puzzle_emb_ndim / hidden_size). Must be 0 when
    /// `puzzle_emb_ndim` is 0: the reference default 16 only runs with a puzzle embedding.
    public var puzzle_emb_len: Int = 16
    /// Rows of the puzzle-embedding table (N), the blank id 0 included.
    public var num_puzzle_identifiers: Int = 1
    /// Maximum ACT steps (M) in training; evaluation runs exactly this many by default.
    public var halt_max_steps: Int = 16
    /// Probability that a training sequence gets a random minimum number of steps.
    public var halt_exploration_prob: Double = 0.1
    /// Epsilon of the RMS norms.
    public var rms_norm_eps: Double = 1e-5
    /// Base θ of the rotary embedding's frequencies.
    public var rope_theta: Double = 10000
    /// Halting compares q_halt with 0 only (the reference's only working path).
    public var no_ACT_continue: Bool = true

    /// The reference defaults for a task with `seq_len` tokens per sequence and a vocabulary of `vocab_size`.
    public init(seq_len: Int, vocab_size: Int) {
        self.seq_len = seq_len
        self.vocab_size = vocab_size
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case seq_len, vocab_size, hidden_size, expansion, swiglu_multiple, num_heads, L_layers, H_cycles, L_cycles,
            pos_encodings, mlp_t, puzzle_emb_ndim, puzzle_emb_len, num_puzzle_identifiers, halt_max_steps,
            halt_exploration_prob, rms_norm_eps, rope_theta, no_ACT_continue
    }

    /// The JSON field names, in declaration order.
    public static let fieldNames: [String] = CodingKeys.allCases.map(\.rawValue)

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TRMConfig(seq_len: 0, vocab_size: 0)
        seq_len = try c.decode(Int.self, forKey: .seq_len)
        vocab_size = try c.decode(Int.self, forKey: .vocab_size)
        hidden_size = try c.decodeIfPresent(Int.self, forKey: .hidden_size) ?? d.hidden_size
        expansion = try c.decodeIfPresent(Double.self, forKey: .expansion) ?? d.expansion
        swiglu_multiple = try c.decodeIfPresent(Int.self, forKey: .swiglu_multiple) ?? d.swiglu_multiple
        num_heads = try c.decodeIfPresent(Int.self, forKey: .num_heads) ?? d.num_heads
        L_layers = try c.decodeIfPresent(Int.self, forKey: .L_layers) ?? d.L_layers
        H_cycles = try c.decodeIfPresent(Int.self, forKey: .H_cycles) ?? d.H_cycles
        L_cycles = try c.decodeIfPresent(Int.self, forKey: .L_cycles) ?? d.L_cycles
        pos_encodings = try c.decodeIfPresent(PositionEncoding.self, forKey: .pos_encodings) ?? d.pos_encodings
        mlp_t = try c.decodeIfPresent(Bool.self, forKey: .mlp_t) ?? d.mlp_t
        puzzle_emb_ndim = try c.decodeIfPresent(Int.self, forKey: .puzzle_emb_ndim) ?? d.puzzle_emb_ndim
        puzzle_emb_len = try c.decodeIfPresent(Int.self, forKey: .puzzle_emb_len) ?? d.puzzle_emb_len
        num_puzzle_identifiers = try c.decodeIfPresent(Int.self, forKey: .num_puzzle_identifiers) ?? d.num_puzzle_identifiers
        halt_max_steps = try c.decodeIfPresent(Int.self, forKey: .halt_max_steps) ?? d.halt_max_steps
        halt_exploration_prob = try c.decodeIfPresent(Double.self, forKey: .halt_exploration_prob) ?? d.halt_exploration_prob
        rms_norm_eps = try c.decodeIfPresent(Double.self, forKey: .rms_norm_eps) ?? d.rms_norm_eps
        rope_theta = try c.decodeIfPresent(Double.self, forKey: .rope_theta) ?? d.rope_theta
        no_ACT_continue = try c.decodeIfPresent(Bool.self, forKey: .no_ACT_continue) ?? d.no_ACT_continue
    }

    // MARK: Derived sizes

    /// Puzzle prefix length P (§4.2: explicit, or computed from the embedding width).
    public var puzzlePrefixLength: Int {
        puzzle_emb_len != 0 ? puzzle_emb_len : (puzzle_emb_ndim + hidden_size - 1) / hidden_size
    }

    /// Total sequence length L = P + S.
    public var totalLength: Int { puzzlePrefixLength + seq_len }

    /// Head width h = floor(D / heads).
    public var headDim: Int { hidden_size / num_heads }

    /// SwiGLU width for the channel MLP (width D).
    public var channelMLPWidth: Int { Self.swigluWidth(hidden_size, expansion: expansion, multiple: swiglu_multiple) }

    /// SwiGLU width for the token-mixing MLP (width L).
    public var tokenMLPWidth: Int { Self.swigluWidth(totalLength, expansion: expansion, multiple: swiglu_multiple) }

    /// The reference's rule: banker's rounding of (e·w)·2/3, then up to a multiple of `multiple`
    /// (the reference: 256).
    public static func swigluWidth(_ width: Int, expansion: Double, multiple: Int = referenceSwiGLUMultiple) -> Int {
        let raw = Int((expansion * Double(width) * 2 / 3).rounded(.toNearestOrEven))
        return (raw + multiple - 1) / multiple * multiple
    }

    /// Checks the combinations the engine (or the reference) cannot run, with a message saying what
    /// to change. The reference's own defaults (puzzle_emb_ndim 0, puzzle_emb_len 16) are refused:
    /// set both fields.
    public func validate() throws {
        func fail(_ message: String) throws { throw TRMConfigError(message) }
        if seq_len < 1 { try fail("seq_len must be at least 1 (found \(seq_len))") }
        if vocab_size < 2 { try fail("vocab_size must be at least 2 (found \(vocab_size))") }
        if hidden_size < 1 { try fail("hidden_size must be at least 1 (found \(hidden_size))") }
        if num_heads < 1 { try fail("num_heads must be at least 1 (found \(num_heads))") }
        if !mlp_t {
            if headDim < 1 { try fail("hidden_size \(hidden_size) is smaller than num_heads \(num_heads)") }
            if pos_encodings == .rope && headDim % 2 != 0 {
                try fail("rope needs an even head size; hidden_size / num_heads = \(headDim)")
            }
        }
        if L_layers < 1 || H_cycles < 1 || L_cycles < 1 {
            try fail("L_layers, H_cycles and L_cycles must be at least 1")
        }
        if expansion <= 0 { try fail("expansion must be positive (found \(expansion))") }
        if swiglu_multiple < 1 { try fail("swiglu_multiple must be at least 1 (found \(swiglu_multiple))") }
        if puzzle_emb_ndim < 0 || puzzle_emb_len < 0 { try fail("puzzle_emb_ndim and puzzle_emb_len must not be negative") }
        // §4.2: P counts prefix slots even without a puzzle embedding; the reference's forward then
        // fails (latents of length P + S, embeddings of length S), so this combination is refused.
        if puzzle_emb_ndim == 0 && puzzle_emb_len != 0 {
            try fail(
                "puzzle_emb_len is \(puzzle_emb_len) but puzzle_emb_ndim is 0 (no puzzle embedding); the reference cannot run prefix slots without one: set puzzle_emb_len to 0, or give puzzle_emb_ndim a width"
            )
        }
        if puzzle_emb_ndim > puzzlePrefixLength * hidden_size {
            try fail("puzzle_emb_ndim \(puzzle_emb_ndim) does not fit in puzzle_emb_len \(puzzle_emb_len) × hidden_size \(hidden_size)")
        }
        if puzzle_emb_ndim > 0 && num_puzzle_identifiers < 1 {
            try fail("num_puzzle_identifiers must be at least 1 when the puzzle embedding is on")
        }
        if halt_max_steps < 1 { try fail("halt_max_steps must be at least 1 (found \(halt_max_steps))") }
        if !(0...1).contains(halt_exploration_prob) { try fail("halt_exploration_prob must be in [0, 1] (found \(halt_exploration_prob))") }
        if !no_ACT_continue {
            try fail("no_ACT_continue = false is not supported (the reference cannot train it either); set it to true")
        }
    }
}

/// A model configuration the engine cannot run.
public struct TRMConfigError: Error, CustomStringConvertible, Equatable {
    public let description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

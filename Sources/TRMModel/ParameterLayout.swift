import TRMCore

/// Where each trained parameter lives inside the model's one flat float32 block.
///
/// All `nn.Parameter`s of the reference (not the puzzle table, not H_init/L_init, which are
/// buffers) share one contiguous allocation, so the optimizer, EMA, gradient zeroing and
/// checkpointing are single flat loops. Names and order are the reference's `parameters()`.
public struct ParameterLayout: Sendable {
    /// One named parameter inside the flat block.
    public struct Entry: Sendable, Equatable {
        /// Reference state_dict name, e.g. `inner.L_level.layers.0.mlp.down_proj.weight`.
        public let name: String
        /// Extent of each axis, as in the reference.
        public let shape: [Int]
        /// Offset of the first value in the flat block.
        public let offset: Int
        /// Number of values (the product of `shape`).
        public var count: Int { shape.reduce(1, *) }
    }

    /// Offsets of one block's weights.
    public struct BlockOffsets: Sendable {
        /// Attention: qkv `[3·H·h, D]` and o `[D, H·h]`; mlp_t: token gate_up `[2·I_L, L]` and down `[L, I_L]`.
        public let mixerIn: Int, mixerOut: Int
        /// Channel SwiGLU gate_up `[2·I_D, D]` and down `[D, I_D]`.
        public let gateUp: Int, down: Int
    }

    /// Every parameter in the reference's `parameters()` order, with contiguous offsets.
    public let entries: [Entry]
    /// Total number of parameter values.
    public let count: Int
    /// Offset of the token embedding `[V, D]`.
    public let tokenEmbedding: Int
    /// Offset of the output head `[V, D]`.
    public let lmHead: Int
    /// Offset of the Q head weight `[2, D]` (halt, continue).
    public let qHeadWeight: Int
    /// Offset of the Q head bias `[2]`.
    public let qHeadBias: Int
    /// Learned position table `[L, D]`, if `pos_encodings == .learned`.
    public let positionEmbedding: Int?
    /// Offsets of each of the `L_layers` blocks' weights.
    public let blocks: [BlockOffsets]

    /// The layout of `c`'s parameters; the order and names match the reference's state_dict.
    public init(config c: TRMConfig) {
        var entries: [Entry] = []
        var next = 0
        func add(_ name: String, _ shape: [Int]) -> Int {
            let entry = Entry(name: name, shape: shape, offset: next)
            entries.append(entry)
            next += entry.count
            return entry.offset
        }
        let d = c.hidden_size
        tokenEmbedding = add("inner.embed_tokens.embedding_weight", [c.vocab_size, d])
        lmHead = add("inner.lm_head.weight", [c.vocab_size, d])
        qHeadWeight = add("inner.q_head.weight", [2, d])
        qHeadBias = add("inner.q_head.bias", [2])
        positionEmbedding =
            c.pos_encodings == .learned ? add("inner.embed_pos.embedding_weight", [c.totalLength, d]) : nil
        var blocks: [BlockOffsets] = []
        for i in 0..<c.L_layers {
            let prefix = "inner.L_level.layers.\(i)."
            let mixerIn: Int
            let mixerOut: Int
            if c.mlp_t {
                let l = c.totalLength
                let width = c.tokenMLPWidth
                mixerIn = add(prefix + "mlp_t.gate_up_proj.weight", [2 * width, l])
                mixerOut = add(prefix + "mlp_t.down_proj.weight", [l, width])
            } else {
                let inner = c.num_heads * c.headDim
                mixerIn = add(prefix + "self_attn.qkv_proj.weight", [3 * inner, d])
                mixerOut = add(prefix + "self_attn.o_proj.weight", [d, inner])
            }
            let width = c.channelMLPWidth
            let gateUp = add(prefix + "mlp.gate_up_proj.weight", [2 * width, d])
            let down = add(prefix + "mlp.down_proj.weight", [d, width])
            blocks.append(BlockOffsets(mixerIn: mixerIn, mixerOut: mixerOut, gateUp: gateUp, down: down))
        }
        self.entries = entries
        self.blocks = blocks
        self.count = next
    }

    /// The entry of a parameter by reference name.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }
}

import TRMCore

/// Everything a TRM model learns or fixes at creation: the flat trained parameters, the puzzle
/// embedding table (a buffer trained by sign-SGD), and the fixed H_init/L_init vectors.
public final class ModelParameters: @unchecked Sendable {
    /// The model shape these parameters were created for.
    public let config: TRMConfig
    /// Where each named parameter lives inside `values`.
    public let layout: ParameterLayout
    /// All `nn.Parameter` values, laid out by `layout`.
    public let values: FloatBuffer
    /// Puzzle embedding table `[num_puzzle_identifiers, puzzle_emb_ndim]` (empty when d_p = 0).
    public let puzzleTable: FloatBuffer
    /// Initial z_H row `[D]`, broadcast over positions when a sequence (re)starts.
    public let hInit: FloatBuffer
    /// Initial z_L row `[D]`, broadcast like `hInit`.
    public let lInit: FloatBuffer

    /// Zero-filled parameters (for loading).
    public init(config: TRMConfig) {
        self.config = config
        layout = ParameterLayout(config: config)
        values = FloatBuffer(count: layout.count)
        puzzleTable = FloatBuffer(count: config.puzzle_emb_ndim > 0 ? config.num_puzzle_identifiers * config.puzzle_emb_ndim : 0)
        hInit = FloatBuffer(count: config.hidden_size)
        lInit = FloatBuffer(count: config.hidden_size)
    }

    /// The reference's initialisation from a seed: truncated-normal LeCun for linear layers,
    /// 1/√D for embeddings, q_head weight 0 and bias −5, a zero puzzle table, H_init/L_init ~ N(0, 1)
    /// truncated.
    public convenience init(config: TRMConfig, seed: UInt64) {
        self.init(config: config)
        var rng = RandomGenerator(seed: seed)
        let d = Double(config.hidden_size)
        for entry in layout.entries {
            let std: Double
            switch entry.name {
            case "inner.q_head.weight": std = 0
            case "inner.q_head.bias":
                for i in 0..<entry.count { values[entry.offset + i] = -5 }
                continue
            case "inner.embed_tokens.embedding_weight", "inner.embed_pos.embedding_weight": std = 1 / d.squareRoot()
            default: std = 1 / Double(entry.shape[1]).squareRoot()
            }
            for i in 0..<entry.count { values[entry.offset + i] = rng.truncatedNormal(std: std) }
        }
        for i in 0..<config.hidden_size { hInit[i] = rng.truncatedNormal(std: 1) }
        for i in 0..<config.hidden_size { lInit[i] = rng.truncatedNormal(std: 1) }
    }

    /// A deep copy (for EMA evaluation copies and tests).
    public func copy() -> ModelParameters {
        let other = ModelParameters(config: config)
        other.values.pointer.update(from: values.pointer, count: values.count)
        other.puzzleTable.pointer.update(from: puzzleTable.pointer, count: puzzleTable.count)
        other.hInit.pointer.update(from: hInit.pointer, count: hInit.count)
        other.lInit.pointer.update(from: lInit.pointer, count: lInit.count)
        return other
    }

    /// Number of trained parameter values (what the reference logs as `num_params`).
    public var parameterCount: Int { layout.count }
}

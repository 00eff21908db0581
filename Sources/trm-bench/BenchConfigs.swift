import TRMModel

/// A named model configuration with the batch sizes it is measured at.
struct BenchConfig: Sendable {
    let name: String
    let config: TRMConfig
    let trainBatches: [Int]
    let inferenceBatch: Int

    /// The configurations the speed targets are stated for (all L_layers 2, expansion 4,
    /// halt_max_steps 16, puzzle_emb_ndim = hidden, puzzle_emb_len 16 unless stated), then the
    /// shipped maze recipe's model, which has no target but is what its 30-minute budget buys.
    static let all: [BenchConfig] = [
        BenchConfig(
            name: "sudoku-mlp-official", config: make(seq: 81, vocab: 11, hidden: 512, mlpT: true, h: 3, l: 6), trainBatches: [16, 64],
            inferenceBatch: 64),
        BenchConfig(
            name: "sudoku-att-official", config: make(seq: 81, vocab: 11, hidden: 512, mlpT: false, h: 3, l: 6), trainBatches: [16],
            inferenceBatch: 16),
        BenchConfig(
            name: "maze-att-official", config: make(seq: 900, vocab: 6, hidden: 512, mlpT: false, h: 3, l: 4), trainBatches: [2], inferenceBatch: 2),
        BenchConfig(
            name: "sudoku-mlp-small", config: make(seq: 81, vocab: 11, hidden: 128, mlpT: true, h: 2, l: 4, prefix: 4), trainBatches: [64, 256],
            inferenceBatch: 256),
        BenchConfig(
            name: "sudoku4-mlp-tiny", config: make(seq: 16, vocab: 6, hidden: 64, mlpT: true, h: 2, l: 2, prefix: 2, maxSteps: 8),
            trainBatches: [256], inferenceBatch: 256),
        BenchConfig(name: "maze-mlp-recipe", config: mazeRecipe, trainBatches: [64], inferenceBatch: 64),
    ]

    /// The model of `experiments/maze_mlp.json` (10×10 mazes): no puzzle prefix, narrow SwiGLU widths, halt_max_steps 3.
    private static var mazeRecipe: TRMConfig {
        var c = make(seq: 100, vocab: 6, hidden: 64, mlpT: true, h: 2, l: 2, prefix: 0, maxSteps: 3)
        c.expansion = 2
        c.swiglu_multiple = 32
        c.puzzle_emb_ndim = 0
        c.num_heads = 4
        return c
    }

    private static func make(seq: Int, vocab: Int, hidden: Int, mlpT: Bool, h: Int, l: Int, prefix: Int = 16, maxSteps: Int = 16) -> TRMConfig {
        var c = TRMConfig(seq_len: seq, vocab_size: vocab)
        c.hidden_size = hidden
        c.num_heads = 8
        c.mlp_t = mlpT
        c.pos_encodings = mlpT ? .none : .rope
        c.H_cycles = h
        c.L_cycles = l
        c.puzzle_emb_ndim = hidden
        c.puzzle_emb_len = prefix
        c.num_puzzle_identifiers = 1
        c.halt_max_steps = maxSteps
        return c
    }
}

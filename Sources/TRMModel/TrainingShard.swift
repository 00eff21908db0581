import TRMCore

/// One slice of a sharded trainer's batch: its own network and carry over rows `rows` of the
/// whole batch, sharing the trainer's parameters. Between steps the whole batch's carry is the
/// truth; a shard copies its rows in before its step and back after it.
final class TrainingShard {
    let rows: Range<Int>
    let network: TRMNetwork
    let carry: ACTCarry
    /// This shard's rows of the step's batch, refilled in place by `load`.
    private(set) var batch: TokenBatch
    /// Sums of the last step.
    private(set) var metrics = StepMetrics()

    init(parameters: ModelParameters, rows: Range<Int>, carry: ACTCarry) {
        self.rows = rows
        self.carry = carry
        network = TRMNetwork(parameters: parameters, batchSize: rows.count)
        batch = carry.current
    }

    /// Copies this shard's rows of the whole batch's carry and of `batch` in.
    func load(from whole: ACTCarry, batch source: TokenBatch) {
        copyLatents(from: whole, to: carry, fromRow: rows.lowerBound, toRow: 0)
        let s = network.config.seq_len
        let tokens = (rows.lowerBound * s)..<(rows.upperBound * s)
        carry.steps.replaceSubrange(0..<rows.count, with: whole.steps[rows])
        carry.halted.replaceSubrange(0..<rows.count, with: whole.halted[rows])
        carry.current.inputs.replaceSubrange(0..<tokens.count, with: whole.current.inputs[tokens])
        carry.current.labels.replaceSubrange(0..<tokens.count, with: whole.current.labels[tokens])
        carry.current.puzzleIdentifiers.replaceSubrange(0..<rows.count, with: whole.current.puzzleIdentifiers[rows])
        batch.inputs.replaceSubrange(0..<tokens.count, with: source.inputs[tokens])
        batch.labels.replaceSubrange(0..<tokens.count, with: source.labels[tokens])
        batch.puzzleIdentifiers.replaceSubrange(0..<rows.count, with: source.puzzleIdentifiers[rows])
    }

    /// One training step of this shard's carry on `batch` (its rows of the step's batch), gradients
    /// into its network's (zeroed first).
    func train(on batch: TokenBatch, loss: LossKind, exploration: HaltingExploration, gradientScale: Float) {
        network.gradients.zero()
        metrics = network.trainStep(carry, batch: batch, loss: loss, exploration: exploration, rows: rows.lowerBound, gradientScale: gradientScale)
    }

    /// Copies this shard's rows back into the whole batch's carry, and its puzzle-row gradients
    /// into `puzzleRowGradients` (`[B, d_p]`).
    func store(into whole: ACTCarry, puzzleRowGradients: FloatBuffer) {
        copyLatents(from: carry, to: whole, fromRow: 0, toRow: rows.lowerBound)
        let s = network.config.seq_len
        let tokens = (rows.lowerBound * s)..<(rows.upperBound * s)
        whole.steps.replaceSubrange(rows, with: carry.steps)
        whole.halted.replaceSubrange(rows, with: carry.halted)
        whole.current.inputs.replaceSubrange(tokens, with: carry.current.inputs)
        whole.current.labels.replaceSubrange(tokens, with: carry.current.labels)
        whole.current.puzzleIdentifiers.replaceSubrange(rows, with: carry.current.puzzleIdentifiers)
        let width = network.config.puzzle_emb_ndim
        if width > 0 {
            (puzzleRowGradients.pointer + rows.lowerBound * width).update(from: network.puzzleRowGradients.pointer, count: rows.count * width)
        }
    }

    /// Copies `rows.count` consecutive sequences of both latents (position-major `[L, B, D]`, so
    /// one block per position) from row `fromRow` of `source` to row `toRow` of `target`.
    private func copyLatents(from source: ACTCarry, to target: ACTCarry, fromRow: Int, toRow: Int) {
        let d = source.width
        let count = rows.count * d
        for position in 0..<source.length {
            let from = (position * source.batchSize + fromRow) * d
            let to = (position * target.batchSize + toRow) * d
            (target.zH.pointer + to).update(from: source.zH.pointer + from, count: count)
            (target.zL.pointer + to).update(from: source.zL.pointer + from, count: count)
        }
    }
}

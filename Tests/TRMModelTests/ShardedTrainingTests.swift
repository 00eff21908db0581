import TRMCore
import Testing

@testable import TRMModel

/// A trainer that slices its batch over shards must take the same step as one network over the
/// whole batch: the same halting (the exploration is drawn per row before the step), the same
/// carry, and gradients that differ only by the order of float sums.
@Suite struct ShardedTrainingTests {
    /// Random tokens, labels and puzzle identifiers (repeated ids across shards, so the puzzle
    /// table's sign-SGD must see the whole batch's rows).
    static func batch(_ c: TRMConfig, rows: Int, seed: UInt64) -> TokenBatch {
        var rng = RandomGenerator(seed: seed)
        let tokens = (0..<(rows * c.seq_len)).map { _ in Int32(rng.int(in: 1...(c.vocab_size - 1))) }
        let labels = (0..<(rows * c.seq_len)).map { _ in Int32(rng.int(in: 1...(c.vocab_size - 1))) }
        let ids = (0..<rows).map { _ in Int32(rng.int(in: 0...(c.num_puzzle_identifiers - 1))) }
        return TokenBatch(inputs: tokens, labels: labels, puzzleIdentifiers: ids)
    }

    static func trainer(_ c: TRMConfig, rows: Int, shards: Int) -> Trainer {
        var h = TrainingHyperparameters()
        // The flat parameters stay put, so every step compares gradients at the same weights; the
        // puzzle table moves, so its rows' gradients must be gathered from every shard.
        h.lr = 0
        h.puzzleEmbLR = 0.1
        h.lrWarmupSteps = 1
        h.totalSteps = 10
        h.loss = .softmax
        return Trainer(parameters: ModelParameters(config: c, seed: 11), batchSize: rows, hyperparameters: h, explorationSeed: 5, shards: shards)
    }

    @Test(arguments: GradientCheckTests.variants.map(\.0)) func shardsTakeTheStepOneNetworkTakes(_ variant: String) {
        var c = GradientCheckTests.variants.first { $0.0 == variant }!.1
        c.halt_exploration_prob = 0.5
        let rows = 7
        let whole = Self.trainer(c, rows: rows, shards: 1)
        let sliced = Self.trainer(c, rows: rows, shards: 3)  // rows 0..<2, 2..<4, 4..<7
        #expect(sliced.network.batchSize == 2 && sliced.batchSize == rows)
        var halts = 0
        for step in 0..<6 {
            let batch = Self.batch(c, rows: rows, seed: UInt64(100 + step))
            let a = whole.train(on: batch)
            let b = sliced.train(on: batch)
            #expect(a.count == b.count && a.exactAccuracy == b.exactAccuracy && a.steps == b.steps, "step \(step)")
            #expect(abs(a.lmLoss - b.lmLoss) <= 1e-5 * max(1, abs(a.lmLoss)), "step \(step)")
            #expect(whole.carry.steps == sliced.carry.steps && whole.carry.halted == sliced.carry.halted, "step \(step)")
            #expect(whole.carry.current.inputs == sliced.carry.current.inputs, "step \(step)")
            #expect(whole.carry.current.puzzleIdentifiers == sliced.carry.current.puzzleIdentifiers, "step \(step)")
            expectClose(whole.carry.zH.array, sliced.carry.zH.array, "z_H at step \(step)")
            expectClose(whole.network.gradients.array, sliced.network.gradients.array, "gradients at step \(step)")
            expectClose(whole.network.parameters.puzzleTable.array, sliced.network.parameters.puzzleTable.array, "puzzle table at step \(step)")
            halts += whole.carry.halted.filter { $0 }.count
        }
        // Rows halted and restarted on the way, so the carry's copy in and out was exercised.
        #expect(halts > rows)
        #expect(whole.network.gradients.array.contains { $0 != 0 })
    }

    /// The order of the float sums depends on the BLAS kernels as well as on the slicing (OpenBLAS's
    /// AVX2 kernels left up to 5e-5 of the magnitude where its AVX-512 ones stayed under 1e-5), and
    /// the carry compounds it over six steps.
    private func expectClose(_ a: [Float], _ b: [Float], _ what: String) {
        let scale = max(a.map(abs).max() ?? 0, 1e-6)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        #expect(a.count == b.count && worst <= 2e-4 * scale, "\(what): largest difference \(worst) against magnitude \(scale)")
    }
}

import Foundation
import TRMCore
import Testing

@testable import TRMModel

/// Backward passes against central finite differences: each block variant alone, and a whole
/// training ACT step with each loss (with H_cycles = 1, so the finite differences see exactly the
/// cycle the analytic gradient covers).
@Suite struct GradientCheckTests {
    static func tinyConfig(mlpT: Bool, positions: PositionEncoding, hCycles: Int = 1) -> TRMConfig {
        var c = TRMConfig(seq_len: 5, vocab_size: 4)
        c.hidden_size = 8
        c.num_heads = 2
        c.expansion = 2
        c.L_layers = 2
        c.H_cycles = hCycles
        c.L_cycles = 2
        c.mlp_t = mlpT
        c.pos_encodings = positions
        c.puzzle_emb_ndim = 8
        c.puzzle_emb_len = 1
        c.num_puzzle_identifiers = 3
        c.halt_max_steps = 3
        c.halt_exploration_prob = 0
        return c
    }

    static let variants: [(String, TRMConfig)] = [
        ("mlp_t", tinyConfig(mlpT: true, positions: .none)),
        ("attention+rope", tinyConfig(mlpT: false, positions: .rope)),
        ("attention+learned", tinyConfig(mlpT: false, positions: .learned)),
        ("mlp_t+learned", tinyConfig(mlpT: true, positions: .learned)),
        ("mlp_t+3-slot puzzle prefix", widePuzzleConfig()),
        ("mlp_t+narrow SwiGLU", narrowSwiGLUConfig()),
    ]

    /// SwiGLU widths rounded to a multiple of 8 instead of 256: 16 channels and 8 positions' mixing
    /// units, so the kernels run at widths other than the reference's.
    static func narrowSwiGLUConfig() -> TRMConfig {
        var c = tinyConfig(mlpT: true, positions: .none)
        c.swiglu_multiple = 8
        return c
    }

    /// A puzzle embedding wider than D (19 > 8), so P = ceil(19 / 8) = 3 prefix slots, the last
    /// one zero padded.
    static func widePuzzleConfig() -> TRMConfig {
        var c = tinyConfig(mlpT: true, positions: .none)
        c.puzzle_emb_ndim = 19
        c.puzzle_emb_len = 0
        return c
    }

    private func randomize(_ buffer: FloatBuffer, seed: UInt64, scale: Double) {
        var rng = RandomGenerator(seed: seed)
        for i in 0..<buffer.count { buffer[i] = Float(rng.normal() * scale) }
    }

    /// Indices of the `count` largest-magnitude entries of `values[range]`.
    private func strongest(_ values: UnsafePointer<Float>, _ range: Range<Int>, count: Int) -> [Int] {
        Array(range.sorted { abs(values[$0]) > abs(values[$1]) }.prefix(count))
    }

    private func expectClose(
        _ analytic: Float, _ numeric: Double, scale: Float, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = abs(numeric - Double(analytic))
        #expect(
            error <= 2e-2 * Double(scale) + 2e-2 * abs(numeric), "\(what): analytic \(analytic), numeric \(numeric)", sourceLocation: sourceLocation)
    }

    @Test(arguments: variants.indices) func blockBackwardMatchesFiniteDifferences(_ variant: Int) {
        let (name, config) = Self.variants[variant]
        let parameters = ModelParameters(config: config, seed: 11)
        let network = TRMNetwork(parameters: parameters, batchSize: 2)
        let count = network.m * network.d
        let input = FloatBuffer(count: count)
        randomize(input, seed: 12, scale: 1)
        let weights = FloatBuffer(count: count)
        randomize(weights, seed: 13, scale: 1)
        let record = network.scratch.blocks[0]

        func loss() -> Double {
            network.blockForward(1, input: input.pointer, record)
            var total = 0.0
            for i in 0..<count { total += Double(record.y2[i]) * Double(weights[i]) }
            return total
        }
        _ = loss()
        network.gradients.zero()
        let dOutput = FloatBuffer(count: count)
        dOutput.copy(from: weights.array)
        let dInput = FloatBuffer(count: count)
        network.blockBackward(1, input: input.pointer, record, dOutput: dOutput.pointer, dInput: dInput.pointer, network.backwardScratch!)

        let step: Float = 1e-2
        func numeric(_ pointer: UnsafeMutablePointer<Float>) -> Double {
            let saved = pointer.pointee
            pointer.pointee = saved + step
            let plus = loss()
            pointer.pointee = saved - step
            let minus = loss()
            pointer.pointee = saved
            return (plus - minus) / Double(2 * step)
        }
        let inputScale = (0..<count).map { abs(dInput[$0]) }.max()!
        for i in strongest(dInput.pointer, 0..<count, count: 12) {
            expectClose(dInput[i], numeric(input.pointer + i), scale: inputScale, "\(name) block d input[\(i)]")
        }
        let block = parameters.layout.blocks[1]
        for entry in parameters.layout.entries where [block.mixerIn, block.mixerOut, block.gateUp, block.down].contains(entry.offset) {
            let range = entry.offset..<(entry.offset + entry.count)
            let scale = range.map { abs(network.gradients[$0]) }.max()!
            #expect(scale > 0, "\(name) \(entry.name) has no gradient")
            for i in strongest(network.gradients.pointer, range, count: 6) {
                expectClose(network.gradients[i], numeric(parameters.values.pointer + i), scale: scale, "\(name) \(entry.name)[\(i - entry.offset)]")
            }
        }
    }

    /// Every variant with every loss: the loss head's backward differs per loss kind.
    @Test(arguments: variants.indices, LossKind.allCases) func wholeACTStepMatchesFiniteDifferences(_ variant: Int, _ kind: LossKind) throws {
        let (variantName, config) = Self.variants[variant]
        let name = "\(variantName) \(kind)"
        let parameters = ModelParameters(config: config, seed: 21)
        // Give the paths that start at zero (q head, puzzle table) non-trivial values.
        var rng = RandomGenerator(seed: 22)
        for entry in parameters.layout.entries where entry.name.hasPrefix("inner.q_head") {
            for i in entry.offset..<(entry.offset + entry.count) { parameters.values[i] = Float(rng.normal() * 0.3) }
        }
        randomize(parameters.puzzleTable, seed: 23, scale: 0.5)
        let b = 3
        let batch = TokenBatch(
            inputs: (0..<(b * config.seq_len)).map { _ in Int32(rng.int(in: 1...3)) },
            labels: (0..<(b * config.seq_len)).map { i in i % 4 == 0 ? -100 : Int32(rng.int(in: 1...3)) },
            puzzleIdentifiers: [1, 2, 1])
        let network = TRMNetwork(parameters: parameters, batchSize: b)
        // Start from a carry one step in, so the latents are not the initial vectors.
        let start = ACTCarry(config: config, batchSize: b)
        network.evalStep(start, batch: batch)

        func carry() -> ACTCarry {
            let c = ACTCarry(config: config, batchSize: b)
            c.zH.copy(from: start.zH.array)
            c.zL.copy(from: start.zL.array)
            c.steps = start.steps
            c.halted = [Bool](repeating: false, count: b)
            c.current = batch
            return c
        }
        func loss() -> Double { network.evalStep(carry(), batch: nil, loss: kind).totalLoss }

        network.gradients.zero()
        var exploration = RandomGenerator(seed: 0)
        network.trainStep(carry(), batch: batch, loss: kind, exploration: &exploration, gradientScale: 1)
        let gradients = network.gradients.array
        let rowGradients = network.puzzleRowGradients.array

        // Small enough for the curvature of the narrow variant's 8-unit token mixing (at 1e-2 its
        // strongest gate weight missed by 4.5 %), large enough for float32's rounding.
        let step: Float = 3e-3
        func numeric(_ pointer: UnsafeMutablePointer<Float>) -> Double {
            let saved = pointer.pointee
            pointer.pointee = saved + step
            let plus = loss()
            pointer.pointee = saved - step
            let minus = loss()
            pointer.pointee = saved
            return (plus - minus) / Double(2 * step)
        }
        for entry in parameters.layout.entries {
            let range = entry.offset..<(entry.offset + entry.count)
            let scale = range.map { abs(gradients[$0]) }.max()!
            #expect(scale > 0, "\(name) \(entry.name) has no gradient")
            let picks = gradients.withUnsafeBufferPointer { strongest($0.baseAddress!, range, count: 4) }
            for i in picks {
                expectClose(gradients[i], numeric(parameters.values.pointer + i), scale: scale, "\(name) \(entry.name)[\(i - entry.offset)]")
            }
        }
        // Puzzle table: the gradient of row k is the sum over the sequences with id k.
        let dp = config.puzzle_emb_ndim
        for id in [1, 2] {
            let analytic = (0..<dp).map { j in
                (0..<b).filter { batch.puzzleIdentifiers[$0] == id }.reduce(Float(0)) { $0 + rowGradients[$1 * dp + j] }
            }
            let scale = analytic.map { abs($0) }.max()!
            for j in 0..<dp {
                expectClose(analytic[j], numeric(parameters.puzzleTable.pointer + id * dp + j), scale: scale, "\(name) puzzle row \(id)[\(j)]")
            }
        }
    }
}

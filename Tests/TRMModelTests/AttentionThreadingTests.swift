import TRMCore
import Testing

@testable import TRMModel

/// With more than one thread the attention block spreads its (sequence, head) pairs over workers;
/// every pair computes the same operations wherever it runs, so the results must be bit-identical.
/// BLAS stays on one thread in both runs: OpenBLAS's own multithreaded products are not
/// bit-identical to its single-threaded ones, which is not what this checks.
@Suite(.serialized) struct AttentionThreadingTests {
    /// An attention block big enough (8 pairs · 121² positions · 16 channels) to take the parallel path.
    static func config(_ positions: PositionEncoding) -> TRMConfig {
        var c = GradientCheckTests.tinyConfig(mlpT: false, positions: positions)
        c.seq_len = 120
        c.hidden_size = 64
        c.num_heads = 4
        return c
    }

    private struct Result {
        let headOutputs: [Float]
        let output: [Float]
        let dInput: [Float]
        let gradients: [Float]
    }

    private func randomize(_ buffer: FloatBuffer, seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        for i in 0..<buffer.count { buffer[i] = Float(rng.normal()) }
    }

    private func run(_ config: TRMConfig, threads: Int) -> Result {
        Parallel.threads = threads
        let network = TRMNetwork(parameters: ModelParameters(config: config, seed: 3), batchSize: 2)
        let scratch = network.backwardScratch!
        // Parallel.threads is process-wide and other suites set it concurrently, so the sizing is
        // checked against the worker count the network was built for.
        #expect(network.workspace.pairSlices.count == 2 * network.workspace.pairWorkers * network.l * network.l)
        let count = network.m * network.d
        let input = FloatBuffer(count: count)
        randomize(input, seed: 4)
        let record = network.scratch.blocks[0]
        network.blockForward(0, input: input.pointer, record)
        let output = record.y2.array
        let dOutput = FloatBuffer(count: count)
        randomize(dOutput, seed: 5)
        let dInput = FloatBuffer(count: count)
        network.gradients.zero()
        network.blockBackward(0, input: input.pointer, record, dOutput: dOutput.pointer, dInput: dInput.pointer, scratch)
        return Result(headOutputs: record.attentionOutput.array, output: output, dInput: dInput.array, gradients: network.gradients.array)
    }

    @Test(arguments: [PositionEncoding.rope, .learned]) func blockIsIdenticalOnOneAndTwoThreads(_ positions: PositionEncoding) {
        let previous = Parallel.threads
        defer { Parallel.threads = previous }
        let config = Self.config(positions)
        let (one, two) = BLAS.singleThreaded { (run(config, threads: 1), run(config, threads: 2)) }
        expectIdentical(one.headOutputs, two.headOutputs, "head outputs")
        expectIdentical(one.output, two.output, "block output")
        expectIdentical(one.dInput, two.dInput, "input gradient")
        expectIdentical(one.gradients, two.gradients, "parameter gradients")
    }

    private func expectIdentical(_ a: [Float], _ b: [Float], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(a.count == b.count && differing == 0, "\(what): \(differing) of \(a.count) values differ", sourceLocation: sourceLocation)
    }
}

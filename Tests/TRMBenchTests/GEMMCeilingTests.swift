import TRMCore
import TRMModel
import Testing

@testable import trm_bench

/// The shape lists the sgemm ceiling is timed on are exactly the products the engine counts:
/// their FLOPs, weighted by calls per step, add up to FLOPCount's forward and training step.
@Suite struct GEMMCeilingTests {
    /// FLOPCount's heads include the Q head (two dot products of length hidden per sequence,
    /// 2 · 2 · hidden FLOPs each pass); the engine computes it in a loop, not with a GEMM, so the
    /// shape lists leave it out and the sums differ from FLOPCount by exactly that term.
    private func qHead(_ c: TRMConfig, batch: Int) -> Double { 2 * Double(batch) * 2 * Double(c.hidden_size) }

    private func total(_ shapes: [GEMMCeiling.Shape]) -> Double { shapes.reduce(0) { $0 + $1.flops * Double($1.count) } }

    @Test(arguments: BenchConfig.all.map(\.name)) func inferenceShapesAddUpToTheForwardStep(_ name: String) {
        let bench = BenchConfig.all.first { $0.name == name }!
        for batch in [1, bench.inferenceBatch] {
            let c = bench.config
            let shapes = GEMMCeiling.shapes(c, batch: batch, pass: .inference)
            #expect(total(shapes) == FLOPCount.forwardStep(c, batch: batch) - qHead(c, batch: batch), "batch \(batch)")
        }
    }

    @Test(arguments: BenchConfig.all.map(\.name)) func trainingShapesAddUpToTheTrainingStep(_ name: String) {
        let bench = BenchConfig.all.first { $0.name == name }!
        for batch in bench.trainBatches {
            let c = bench.config
            let shapes = GEMMCeiling.shapes(c, batch: batch, pass: .training)
            // The Q head runs once forward and twice backward (its input and weight gradients).
            // Attention recomputes q kᵀ per pair in the backward pass, work the analytic count
            // (the model's, as in the baseline's FLOP/s) leaves out: once per recorded call and layer.
            let pairs = Double(batch * c.num_heads)
            let recomputed =
                c.mlp_t ? 0 : Double(c.L_cycles + 1) * Double(c.L_layers) * pairs * 2 * Double(c.totalLength * c.totalLength * c.headDim)
            #expect(
                total(shapes) == FLOPCount.trainingStep(c, batch: batch) - 3 * qHead(c, batch: batch) + recomputed, "batch \(batch)")
        }
    }

    /// At batch 1 the inference products are the thin ones (L rows, not B · L): what the latency
    /// ceiling is about.
    @Test func batchOneInferenceShapesAreThin() {
        let c = BenchConfig.all.first { $0.name == "sudoku-mlp-official" }!.config
        let shapes = GEMMCeiling.shapes(c, batch: 1, pass: .inference)
        #expect(shapes.contains { $0.m == c.totalLength && $0.n == 2 * c.channelMLPWidth && $0.k == c.hidden_size })
        #expect(shapes.contains { $0.m == c.seq_len && $0.n == c.vocab_size && $0.k == c.hidden_size && $0.count == 1 })
        #expect(shapes.allSatisfy { $0.m <= max(c.totalLength, 2 * c.tokenMLPWidth) })
    }

    /// The timing loop runs both ways the engine issues products (one threaded call; the attention
    /// pairs spread over the workers) and gives a finite, positive rate.
    @Test func rateIsFiniteAndPositiveForBothVariants() {
        // Two workers, so the pairs take the concurrent path even where the tests run on one core.
        let previous = Parallel.threads
        Parallel.threads = 2
        defer { Parallel.threads = previous }
        var c = BenchConfig.all.first { $0.name == "sudoku4-mlp-tiny" }!.config
        let mlpRate = GEMMCeiling.rate(GEMMCeiling.shapes(c, batch: 1, pass: .inference))
        #expect(mlpRate.isFinite && mlpRate > 0)
        c.mlp_t = false
        c.pos_encodings = .rope
        let shapes = GEMMCeiling.shapes(c, batch: 4, pass: .inference)
        #expect(shapes.contains { $0.concurrent == 4 * c.num_heads })
        let rate = GEMMCeiling.rate(shapes)
        #expect(rate.isFinite && rate > 0)
    }
}

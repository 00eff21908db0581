import Foundation
import TRMCore
import TRMModel

/// One measurement, as printed and as written with `--json`.
struct Measurement: Codable {
    var config: String
    var kind: String  // "train" or "inference"
    var batch: Int
    /// Training: examples per second (median step). Inference: puzzles per second at full K.
    var examplesPerSecond: Double
    /// Median seconds per ACT step (training) or per full-K solve (inference).
    var secondsPerStep: Double
    var flopsPerStep: Double
    var gflops: Double
    var peakRSSBytes: Int
    var samples: Int
    /// CBLAS sgemm GFLOP/s on the GEMM shapes this measurement runs (forward and backward for
    /// training, forward only for inference, at its batch), weighted by calls per step; nil when
    /// the child ran with `--no-ceiling`.
    var sgemmCeilingGFLOPS: Double?
}

/// Measures one configuration in this process (so peak RSS belongs to that measurement alone).
enum ModelBench {
    static func randomBatch(_ c: TRMConfig, batch: Int, seed: UInt64) -> TokenBatch {
        var rng = RandomGenerator(seed: seed)
        let tokens = (0..<(batch * c.seq_len)).map { _ in Int32(rng.int(in: 1...(c.vocab_size - 1))) }
        let labels = (0..<(batch * c.seq_len)).map { _ in Int32(rng.int(in: 1...(c.vocab_size - 1))) }
        return TokenBatch(inputs: tokens, labels: labels, puzzleIdentifiers: [Int32](repeating: 0, count: batch))
    }

    /// Training: forward + stablemax loss + backward + optimizer per ACT step, median over steps.
    static func train(_ bench: BenchConfig, batch: Int, shards: Int, minSeconds: Double, minSamples: Int, ceiling: Bool) -> Measurement {
        let c = bench.config
        var h = TrainingHyperparameters()
        h.lrWarmupSteps = 1
        h.totalSteps = 1000
        let trainer = Trainer(
            parameters: ModelParameters(config: c, seed: 1), batchSize: batch, hyperparameters: h, explorationSeed: 2, shards: shards)
        let data = randomBatch(c, batch: batch, seed: 3)
        trainer.train(on: data)  // warm-up: first-touch of every buffer
        var times: [Double] = []
        let start = now()
        while times.count < minSamples || now() - start < minSeconds {
            let t0 = now()
            trainer.train(on: data)
            times.append(now() - t0)
        }
        let seconds = median(times)
        let flops = FLOPCount.trainingStep(c, batch: batch)
        let peak = peakResidentBytes()
        return Measurement(
            config: bench.name, kind: "train", batch: batch, examplesPerSecond: Double(batch) / seconds, secondsPerStep: seconds,
            flopsPerStep: flops, gflops: flops / seconds / 1e9, peakRSSBytes: peak, samples: times.count,
            sgemmCeilingGFLOPS: ceiling ? GEMMCeiling.rate(GEMMCeiling.shapes(c, batch: batch, pass: .training)) : nil)
    }

    /// Inference: a full solve of `batch` puzzles at K = halt_max_steps, median over repeats.
    static func infer(_ bench: BenchConfig, batch: Int, minSeconds: Double, minSamples: Int, ceiling: Bool) -> Measurement {
        let c = bench.config
        let network = TRMNetwork(parameters: ModelParameters(config: c, seed: 1), batchSize: batch, trainable: false)
        let data = randomBatch(c, batch: batch, seed: 3)
        func solve() {
            let carry = ACTCarry(config: c, batchSize: batch)
            for k in 0..<c.halt_max_steps { network.evalStep(carry, batch: k == 0 ? data : nil) }
        }
        // First touch of every buffer: one step, not a whole solve (a solve can take minutes).
        network.evalStep(ACTCarry(config: c, batchSize: batch), batch: data)
        var times: [Double] = []
        let start = now()
        // Long solves: two samples are enough for a median of stable work.
        while times.count < minSamples || now() - start < minSeconds {
            let t0 = now()
            solve()
            times.append(now() - t0)
            if times.count >= 2 && times.last! > 60 { break }
        }
        let seconds = median(times)
        let flops = FLOPCount.forwardStep(c, batch: batch) * Double(c.halt_max_steps)
        return Measurement(
            config: bench.name, kind: "inference", batch: batch, examplesPerSecond: Double(batch) / seconds, secondsPerStep: seconds,
            flopsPerStep: flops, gflops: flops / seconds / 1e9, peakRSSBytes: peakResidentBytes(), samples: times.count,
            sgemmCeilingGFLOPS: ceiling ? GEMMCeiling.rate(GEMMCeiling.shapes(c, batch: batch, pass: .inference)) : nil)
    }
}

import Foundation
import TRMExperiment
import Testing

/// `eval --ema` on a smoke run trained with EMA: it scores the EMA weights, which the training
/// loop's own evaluations use, and differs from the trained weights.
@Suite(.serialized) struct EMAEvalTests {
    @Test func emaEvaluationIsTheTrainingTimeOneAndDiffersFromPlain() throws {
        let folder = try CLI.temporaryDirectory()
        let store = folder.appendingPathComponent("trm.sqlite").path
        // A fast-moving average, so 60 steps leave the EMA and trained weights far apart.
        let trained = try CLI.run([
            "run", "experiments/smoke.json", "--store", store, "--quiet", "--name", "smoke-ema", "--set", "training.ema=true", "--set",
            "training.ema_rate=0.9",
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let opened = try RunStore.openExisting(path: store)
        let run = try opened.resolveRun("smoke-ema")

        var options = CheckpointEvaluation.Options()
        options.record = false
        let plain = try CheckpointEvaluation.run("smoke-ema", store: opened, options: options)
        options.ema = true
        let ema = try CheckpointEvaluation.run("smoke-ema", store: opened, options: options)
        #expect(plain.step == 60 && ema.step == 60)

        // Training evaluated the EMA weights at step 60: eval --ema reproduces those numbers.
        let atTraining = try opened.metrics(run: run.id, split: "test").filter { $0.step == 60 }
        let emaMetrics = CheckpointEvaluation.metrics(ema)
        for key in ["lm_loss", "exact_accuracy", "accuracy", "q_halt_loss"] {
            #expect(atTraining.first { $0.key == key }?.value == emaMetrics[key], "\(key)")
        }
        #expect(CheckpointEvaluation.metrics(plain)["lm_loss"] != emaMetrics["lm_loss"])

        let cli = try CLI.run(["eval", "smoke-ema", "--store", store, "--ema", "--json"])
        #expect(cli.status == 0, "\(cli.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
        // JSON text keeps about 16 digits.
        let printed = try #require((report["metrics"] as? [String: Double])?["lm_loss"])
        #expect(abs(printed - emaMetrics["lm_loss"]!) < 1e-12)
    }
}

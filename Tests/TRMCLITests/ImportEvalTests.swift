import Foundation
import TRMExperiment
import Testing

/// `export` → `import` → `eval`/`solve`, and `eval --data CONFIG`, on the suite's smoke run.
extension EvalSolveTests {
    /// The fields of `eval --json` that depend only on the weights and the data.
    private func outcome(_ report: [String: Any]) -> NSDictionary {
        NSDictionary(dictionary: [
            "metrics": report["metrics"] ?? 0, "accuracy_at_k": report["accuracy_at_k"] ?? 0, "halting": report["halting"] ?? 0,
        ])
    }

    private func evaluate(_ arguments: [String]) throws -> [String: Any] {
        let (store, _) = try setup()
        let result = try CLI.run(["eval"] + arguments + ["--store", store, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try json(result.stdout)
    }

    @Test func importedRunEvaluatesAndSolvesLikeTheOriginal() throws {
        let (store, folder) = try setup()
        let weights = folder + "/exported.safetensors"
        let exported = try CLI.run(["export", "smoke-eval", "--store", store, "--out", weights])
        #expect(exported.status == 0, "\(exported.stderr)")
        let imported = try CLI.run(["import", weights, "--config", "experiments/smoke.json", "--name", "smoke-imported", "--store", store])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("next: trm-exp eval "), "\(imported.stdout)")

        // The stored config is a valid experiment config; provenance lives in the params.
        let opened = try RunStore.openExisting(path: store)
        let original = try opened.resolveRun("smoke-eval")
        let copy = try opened.resolveRun("smoke-imported")
        let config = try copy.experimentConfig()
        #expect(config.dataset == (try original.experimentConfig()).dataset && config.name == "smoke-imported")
        #expect(try opened.params(run: copy.id)["imported.origin_run"] == "\"\(original.id)\"")

        let originalReport = try evaluate(["smoke-eval"])
        let copyReport = try evaluate(["smoke-imported"])
        #expect(copyReport["step"] as? Int == 60 && copyReport["examples"] as? Int == 64)
        #expect(outcome(copyReport) == outcome(originalReport))

        var options = CheckpointEvaluation.Options()
        options.record = false
        let predictions = try ["smoke-eval", "smoke-imported"].map { try CheckpointEvaluation.run($0, store: opened, options: options).predictions }
        #expect(predictions[0].count == 64 && predictions[0] == predictions[1])

        let csv = try puzzlesCSV()
        let solved = try ["smoke-eval", "smoke-imported"].map { run in
            let result = try CLI.run(["solve", run, "--store", store, "--input", csv, "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(try json(result.stdout)["puzzles"] as? NSArray)
        }
        #expect(solved[0].count == 12 && solved[0] == solved[1])
    }

    @Test func modelOnlyImportAsksForData() throws {
        let (store, folder) = try setup()
        let weights = folder + "/bare.safetensors"
        #expect(try CLI.run(["export", "smoke-eval", "--store", store, "--out", weights]).status == 0)
        // No --config: the file's own model config, so the run has no dataset section.
        let imported = try CLI.run(["import", weights, "--name", "smoke-bare", "--store", store])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("--data EXPERIMENT.json"))

        let refused = try CLI.run(["eval", "smoke-bare", "--store", store])
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains("imported with a model config only") && refused.stderr.contains("--data EXPERIMENT.json"), "\(refused.stderr)")
        let unsolved = try CLI.run(["solve", "smoke-bare", "--store", store, "--puzzle", "1.3...1.2..3.3.."])
        #expect(unsolved.status != 0 && unsolved.stderr.contains("--config EXPERIMENT.json"), "\(unsolved.stderr)")

        // With an experiment config as --data it evaluates exactly like the original run.
        let report = try evaluate(["smoke-bare", "--data", "experiments/smoke.json"])
        #expect(report["split"] as? String == "eval:smoke.json")
        #expect(outcome(report) == outcome(try evaluate(["smoke-eval"])))
    }

    @Test func evalDataTakesAnExperimentConfig() throws {
        let (_, folder) = try setup()
        // The run's own config names the run's own test split.
        let same = try evaluate(["smoke-eval", "--data", "experiments/smoke.json"])
        #expect(same["split"] as? String == "eval:smoke.json" && same["examples"] as? Int == 64)
        #expect(outcome(same) == outcome(try evaluate(["smoke-eval"])))

        // Another seed and size: a different test split, built as `run` builds it.
        var config = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.repository.appendingPathComponent("experiments/smoke.json")))
                as? [String: Any])
        var dataset = try #require(config["dataset"] as? [String: Any])
        dataset["test_count"] = 20
        config["dataset"] = dataset
        config["seed"] = 5
        let other = folder + "/other-seed.json"
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: other))
        let report = try evaluate(["smoke-eval", "--data", other])
        #expect(report["split"] as? String == "eval:other-seed.json" && report["examples"] as? Int == 20)
        let resolved = try ExperimentConfig.load(contentsOf: URL(fileURLWithPath: other)).config
        let built = try DatasetPreparation.prepare(resolved.dataset, seed: resolved.seed).dataset.test
        #expect(built.exampleCount == 20)

        // A config of another puzzle kind, or an invalid one, is refused with the reason.
        dataset = ["kind": "maze", "grid_size": 5, "test_count": 2, "train_count": 2]
        config["dataset"] = dataset
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: other))
        let (store, _) = try setup()
        let maze = try CLI.run(["eval", "smoke-eval", "--store", store, "--data", other])
        #expect(maze.status != 0 && maze.stderr.contains("describes a maze dataset"), "\(maze.stderr)")
        try Data(#"{"name": "x", "dataset": {"kind": "sudoku", "test_cuont": 3}}"#.utf8).write(to: URL(fileURLWithPath: other))
        let invalid = try CLI.run(["eval", "smoke-eval", "--store", store, "--data", other])
        #expect(invalid.status != 0 && invalid.stderr.contains("dataset.test_cuont"), "\(invalid.stderr)")
    }
}

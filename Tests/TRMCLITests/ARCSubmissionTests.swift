import Foundation
import Testing

/// `trm-exp eval RUN --submission FILE` on a one-step ARC run over the shared ARC-AGI-2 evaluation
/// tasks, and its refusal for other runs.
@Suite struct ARCSubmissionTests {
    /// A tiny ARC config: the 120 evaluation2 tasks without augmentation, one training step.
    private func arcConfig(in folder: URL) throws -> URL {
        let config: [String: Any] = [
            "name": "arc-tiny", "seed": 0,
            "dataset": [
                "kind": "arc", "source": "arc-json", "path": DataCommandTests.samples.appendingPathComponent("arc").path,
                "subsets": ["evaluation2"], "test_set": "evaluation2", "cache_dir": folder.appendingPathComponent("cache").path,
            ],
            "model": [
                "hidden_size": 16, "num_heads": 2, "mlp_t": false, "pos_encodings": "none", "H_cycles": 1, "L_cycles": 1,
                "halt_max_steps": 2, "puzzle_emb_ndim": 0, "puzzle_emb_len": 0,
            ],
            "training": ["batch_size": 8, "steps": 1, "lr": 1e-3, "lr_warmup_steps": 1],
            "evaluation": ["interval": 1, "test_limit": 8],
            "checkpointing": ["every": 1, "keep": 1],
            "threads": 2,
        ]
        let url = folder.appendingPathComponent("arc-tiny.json")
        try JSONSerialization.data(withJSONObject: config).write(to: url)
        return url
    }

    @Test func evalWritesTheSubmissionAndEveryPassAtK() throws {
        let folder = try CLI.temporaryDirectory()
        let store = folder.appendingPathComponent("trm.sqlite").path
        let trained = try CLI.run(["run", try arcConfig(in: folder).path, "--store", store, "--quiet"])
        #expect(trained.status == 0, "\(trained.stderr)")

        let submission = folder.appendingPathComponent("submission.json")
        let eval = try CLI.run(["eval", "arc-tiny", "--store", store, "--json", "--submission", submission.path])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.stderr.contains("wrote the ARC Prize submission to \(submission.path)"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        let metrics = try #require(report["metrics"] as? [String: Double])
        for k in [1, 2, 5, 10, 100, 1000] {
            let pass = try #require(metrics["pass@\(k)"], "pass@\(k) missing")
            #expect((0...1).contains(pass))
        }
        #expect(metrics["pass@1"]! <= metrics["pass@2"]! && metrics["pass@2"]! <= metrics["pass@1000"]!)

        // One entry per task of the evaluated subset, one attempt pair per test input, each attempt a
        // rectangular grid of colours; without augmentation each input has one candidate, so the
        // second attempt repeats the first.
        let challenges = DataCommandTests.samples.appendingPathComponent("arc/arc-agi_evaluation2_challenges.json")
        let tasks = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: challenges)) as? [String: [String: Any]])
        let written = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: submission)) as? [String: [[String: [[Int]]]]])
        #expect(Set(written.keys) == Set(tasks.keys) && written.count == 120)
        for (id, attempts) in written {
            #expect(attempts.count == (tasks[id]?["test"] as? [Any])?.count)
            for pair in attempts {
                let first = try #require(pair["attempt_1"]), second = try #require(pair["attempt_2"])
                #expect(second == first)
                #expect(!first.isEmpty && first.allSatisfy { $0.count == first[0].count && !$0.isEmpty && $0.allSatisfy { (0...9).contains($0) } })
            }
        }
    }

    @Test func submissionIsRefusedForNonARCRuns() throws {
        let folder = try CLI.temporaryDirectory()
        let store = folder.appendingPathComponent("trm.sqlite").path
        let trained = try CLI.run([
            "run", "experiments/smoke.json", "--store", store, "--quiet", "--max-steps", "1", "--name", "smoke-sub",
            "--set", "dataset.cache_dir=\(folder.appendingPathComponent("cache").path)",
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let submission = folder.appendingPathComponent("submission.json")
        let eval = try CLI.run(["eval", "smoke-sub", "--store", store, "--submission", submission.path])
        #expect(eval.status != 0)
        #expect(eval.stderr.contains("--submission writes an ARC Prize submission, but run smoke-sub is a sudoku run"), "\(eval.stderr)")
        #expect(!FileManager.default.fileExists(atPath: submission.path))
    }
}

import Foundation
import TRMExperiment
import Testing

/// ARC end to end on two ConceptARC tasks of the shared samples' `arc` folder (`TRM_DATASETS_DIR`,
/// else `../shared/datasets` beside the repository): training and `eval`
/// record the task of every example, `eval` reports pass@K, `solve` draws the task's grids.
@Suite(.serialized) struct ARCEvalTests {
    /// The shared ARC files, found as every CLI test finds the shared samples.
    static let arcFolder = DataCommandTests.samples.appendingPathComponent("arc")

    /// The two tasks (small grids, three test inputs each).
    static let tasks = ["HorizontalVertical9", "TopBottom3D6"]

    /// A store with a finished run "arc-tiny" trained for a few steps on the two tasks.
    static let trained: Result<String, EvalSolveTests.CLIError> = {
        do {
            let folder = try CLI.temporaryDirectory()
            let shared = arcFolder
            for part in ["challenges", "solutions"] {
                let file = "arc-agi_concept_\(part).json"
                guard let all = try JSONSerialization.jsonObject(with: Data(contentsOf: shared.appendingPathComponent(file))) as? [String: Any]
                else { return .failure(EvalSolveTests.CLIError(message: "\(file) is not a JSON object")) }
                let subset = all.filter { tasks.contains($0.key) }
                try JSONSerialization.data(withJSONObject: subset).write(to: folder.appendingPathComponent(file))
            }
            let config = """
                {"name": "arc-tiny", "seed": 0,
                 "dataset": {"kind": "arc", "source": "arc-json", "path": "\(folder.path)", "subsets": ["concept"], "test_set": "concept",
                             "augmentation": {"num_aug": 1}, "cache_dir": "\(folder.appendingPathComponent("cache").path)"},
                 "model": {"hidden_size": 16, "num_heads": 2, "L_layers": 1, "H_cycles": 1, "L_cycles": 1, "mlp_t": false,
                           "pos_encodings": "rope", "halt_max_steps": 2, "puzzle_emb_ndim": 16, "puzzle_emb_len": 1},
                 "training": {"batch_size": 4, "steps": 4, "lr": 0.001, "lr_warmup_steps": 1, "log_every": 2},
                 "checkpointing": {"keep": 1}, "threads": 2}
                """
            let url = folder.appendingPathComponent("arc-tiny.json")
            try Data(config.utf8).write(to: url)
            let store = folder.appendingPathComponent("trm.sqlite").path
            let run = try CLI.run(["run", url.path, "--store", store, "--quiet"])
            guard run.status == 0 else { return .failure(EvalSolveTests.CLIError(message: run.stderr)) }
            return .success(store)
        } catch { return .failure(EvalSolveTests.CLIError(message: "\(error)")) }
    }()

    @Test func evaluationsRecordTheTaskOfEveryExample() throws {
        let store = try Self.trained.get()
        let opened = try RunStore.openExisting(path: store)
        let run = try opened.resolveRun("arc-tiny")
        // Training-time evaluation: every example carries its task; the by-task table fills.
        let training = try #require(try opened.kStatistics(run: run.id, evalStep: 4))
        #expect(training.count > 0)
        #expect(training.examples.allSatisfy { $0.group.map(Self.tasks.contains) == true })
        #expect(Set(training.groups.map(\.label)) == Set(Self.tasks))
        #expect(training.groups.map(\.count).reduce(0, +) == training.count)

        let evaluated = try CLI.run(["eval", "arc-tiny", "--store", store, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let recorded = try #require(try opened.kStatistics(run: run.id, evalStep: 4, split: "eval"))
        #expect(recorded.examples.map(\.group) == training.examples.map(\.group))
    }

    @Test func evalReportsPassAtKWithVoting() throws {
        let store = try Self.trained.get()
        let result = try CLI.run(["eval", "arc-tiny", "--store", store, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let metrics = try #require(report["metrics"] as? [String: Double])
        let passes = try [1, 2, 5].map { try #require(metrics["pass@\($0)"]) }
        #expect(passes.allSatisfy { (0...1).contains($0) })
        // More attempts never pass fewer test inputs.
        #expect(passes[0] <= passes[1] && passes[1] <= passes[2])
        let opened = try RunStore.openExisting(path: store)
        let run = try opened.resolveRun("arc-tiny")
        #expect(try opened.metrics(run: run.id, split: "eval", key: "pass@2").map(\.value) == [passes[1]])
        let text = try CLI.run(["eval", "arc-tiny", "--store", store])
        #expect(text.stdout.contains("ARC pass@1 (voting)") && text.stdout.contains("ARC pass@5 (voting)"))
        // The task table lists both tasks with all their examples.
        let table = try #require(text.stdout.components(separatedBy: "K by task").last)
        let statistics = try #require(try opened.kStatistics(run: run.id, evalStep: 4, split: "eval"))
        for group in statistics.groups { #expect(table.contains("\(group.label)") && table.contains("n=\(group.count): solved")) }
        #expect(statistics.groups.count == 2)
    }

    @Test func solveDrawsTheTasksGrids() throws {
        let store = try Self.trained.get()
        let result = try CLI.run(["solve", "arc-tiny", "--store", store, "--puzzle", Self.tasks[0], "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let puzzles = try #require(report["puzzles"] as? [[String: Any]])
        // One puzzle per test input of the task, drawn at the input's size with the known answer.
        let challenges = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.arcFolder.appendingPathComponent("arc-agi_concept_challenges.json")))
                as? [String: [String: Any]])
        let tests = try #require(challenges[Self.tasks[0]]?["test"] as? [[String: [[Int]]]])
        #expect(puzzles.count == tests.count)
        for (puzzle, test) in zip(puzzles, tests) {
            let input = try #require(test["input"])
            #expect(puzzle["kind"] as? String == "arc")
            #expect(puzzle["puzzle_rows"] as? Int == input.count && puzzle["puzzle_columns"] as? Int == input[0].count)
            #expect(puzzle["puzzle"] as? String == input.flatMap { $0.map(String.init) }.joined())
            let steps = try #require(puzzle["steps"] as? [[String: Any]])
            #expect(steps.count == 2)
            for step in steps {
                let rows = try #require(step["rows"] as? Int), columns = try #require(step["columns"] as? Int)
                #expect((step["answer"] as? String)?.count == rows * columns)
                #expect((step["confidence"] as? [Double])?.count == rows * columns)
                #expect((step["tokens"] as? [Int])?.count == 900)
            }
        }
        let drawn = try CLI.run(["solve", "arc-tiny", "--store", store, "--puzzle", Self.tasks[0]])
        #expect(drawn.status == 0, "\(drawn.stderr)")
        #expect(drawn.stdout.contains("step 2  halt confidence"))
        let firstRow = try #require(tests.first?["input"]?.first)
        #expect(drawn.stdout.contains(firstRow.map { " \($0)" }.joined()), "\(drawn.stdout)")
    }
}

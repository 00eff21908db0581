import Foundation
import TRMExperiment
import Testing

/// `trm-exp eval` and `trm-exp solve` end to end on one smoke run, trained once for the suite.
@Suite(.serialized) struct EvalSolveTests {
    /// The store holding a finished smoke run named "smoke-eval", and a scratch folder.
    static let trained: Result<(store: String, folder: String), CLIError> = {
        do {
            let folder = try CLI.temporaryDirectory()
            let store = folder.appendingPathComponent("trm.sqlite").path
            let run = try CLI.run(["run", "experiments/smoke.json", "--store", store, "--quiet", "--name", "smoke-eval"])
            guard run.status == 0 else { return .failure(CLIError(message: run.stderr)) }
            return .success((store, folder.path))
        } catch { return .failure(CLIError(message: "\(error)")) }
    }()

    struct CLIError: Error { var message: String }

    func setup() throws -> (store: String, folder: String) { try Self.trained.get() }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Twelve 4×4 puzzles in the published CSV format.
    func puzzlesCSV() throws -> String {
        let (_, folder) = try setup()
        let path = folder + "/puzzles.csv"
        if !FileManager.default.fileExists(atPath: path) {
            let made = try CLI.run([
                "data", "generate", "--kind", "sudoku", "--size", "4", "--min-blanks", "6", "--count", "12",
                "--seed", "7", "--out", path,
            ])
            #expect(made.status == 0, "\(made.stderr)")
        }
        return path
    }

    @Test func evalReportsAndRecordsBesideTrainingRows() throws {
        let (store, _) = try setup()
        let opened = try RunStore.openExisting(path: store)
        let run = try opened.resolveRun("smoke-eval")
        let trainingRows = try opened.kAccuracy(run: run.id, evalStep: 60)

        let result = try CLI.run(["eval", "smoke-eval", "--store", store, "--json", "--halt-threshold", "0.5", "0.9"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["step"] as? Int == 60 && report["k"] as? Int == 4 && report["split"] as? String == "eval")
        let examples = try #require(report["examples"] as? Int)
        #expect(examples == 64)
        let accuracy = try #require(report["accuracy_at_k"] as? [[String: Any]])
        let metrics = try #require(report["metrics"] as? [String: Double])
        #expect(accuracy.count == 4)
        #expect(accuracy.last?["exact_accuracy"] as? Double == metrics["exact_accuracy"])
        // Token accuracy at K_max (from the K traces) is the loss head's `accuracy`: two separate
        // computations, compared on a value that is neither 0 nor 1 after 60 steps.
        let tokenAtMax = try #require(accuracy.last?["token_accuracy"] as? Double)
        let headAccuracy = try #require(metrics["accuracy"])
        #expect(headAccuracy > 0.1 && headAccuracy < 1, "token accuracy \(headAccuracy)")
        #expect(abs(tokenAtMax - headAccuracy) < 1e-6)
        let halting = try #require(report["halting"] as? [[String: Any]])
        #expect(halting.count >= 2)
        for rule in halting { #expect((rule["histogram"] as? [Int])?.reduce(0, +) == examples) }

        // Recorded under "eval" at the checkpoint's step; the training-time rows are untouched.
        #expect(try opened.kAccuracy(run: run.id, evalStep: 60) == trainingRows)
        let recorded = try opened.kAccuracy(run: run.id, evalStep: 60, split: "eval")
        #expect(recorded.map(\.k) == [1, 2, 3, 4])
        #expect(recorded.last?.exact_acc == metrics["exact_accuracy"])
        #expect(try opened.metrics(run: run.id, split: "eval", key: "exact_accuracy").map(\.step) == [60])

        // A repeated evaluation replaces its own rows instead of adding more.
        let text = try CLI.run(["eval", "smoke-eval", "--store", store, "--checkpoint", "40", "--k", "2"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Accuracy at K") && text.stdout.contains("Halting") && text.stdout.contains("exact accuracy at K"))
        _ = try CLI.run(["eval", "smoke-eval", "--store", store, "--checkpoint", "40", "--k", "2"])
        #expect(try opened.metrics(run: run.id, split: "eval", key: "exact_accuracy").map(\.step) == [40, 60])
    }

    /// Exact accuracy at K_max equals the loss head's exact accuracy on puzzles easy enough (one
    /// blank cell) that a model trained a little longer than the smoke run (120 steps at lr 3e-3,
    /// about 5 s) solves most of them, so the comparison is not 0 == 0 (the 60-step smoke model
    /// solves none: it has not yet learnt to copy the givens).
    @Test func exactAccuracyAtMaxKMatchesTheLossHeadOnEasyPuzzles() throws {
        let (_, folder) = try setup()
        let store = folder + "/easy.sqlite"
        let trained = try CLI.run([
            "run", "experiments/smoke.json", "--store", store, "--quiet", "--name", "smoke-easy", "--set", "training.steps=120",
            "--set", "training.lr=3e-3",
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let csv = folder + "/one-blank.csv"
        let made = try CLI.run([
            "data", "generate", "--kind", "sudoku", "--size", "4", "--min-blanks", "1", "--max-blanks", "1", "--count", "64",
            "--seed", "3", "--out", csv,
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let result = try CLI.run(["eval", "smoke-easy", "--store", store, "--data", csv, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        let metrics = try #require(report["metrics"] as? [String: Double])
        let atMax = try #require((report["accuracy_at_k"] as? [[String: Any]])?.last)
        let exact = try #require(metrics["exact_accuracy"])
        #expect(exact > 0, "the model solves no one-blank puzzle")
        #expect(atMax["exact_accuracy"] as? Double == exact)
        #expect(abs(try #require(atMax["token_accuracy"] as? Double) - (metrics["accuracy"] ?? -1)) < 1e-6)
    }

    @Test func evalOnAUserCSVAndItsBadRows() throws {
        let (store, folder) = try setup()
        let csv = try puzzlesCSV()
        let good = try CLI.run(["eval", "smoke-eval", "--store", store, "--data", csv, "--json"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(try json(good.stdout)["split"] as? String == "eval:puzzles.csv")
        #expect(try json(good.stdout)["examples"] as? Int == 12)

        var lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        var fields = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[1] = "9" + fields[1].dropFirst()  // not a 4×4 digit
        lines[2] = fields.joined(separator: ",")
        let bad = folder + "/bad.csv"
        try lines.joined(separator: "\n").write(toFile: bad, atomically: true, encoding: .utf8)
        let failed = try CLI.run(["eval", "smoke-eval", "--store", store, "--data", bad])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("bad.csv") && failed.stderr.contains("line 3"), "\(failed.stderr)")
    }

    @Test func solveStepKAnswerIsEvalsPredictionAtK() throws {
        let (store, _) = try setup()
        let csv = try puzzlesCSV()
        let opened = try RunStore.openExisting(path: store)
        for k in [1, 3] {
            var options = CheckpointEvaluation.Options()
            options.dataPath = csv
            options.maxK = k
            options.record = false
            let evaluation = try CheckpointEvaluation.run("smoke-eval", store: opened, options: options)

            let result = try CLI.run(["solve", "smoke-eval", "--store", store, "--input", csv, "--k", String(k), "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let puzzles = try #require(try json(result.stdout)["puzzles"] as? [[String: Any]])
            #expect(puzzles.count == evaluation.predictions.count && puzzles.count == 12)
            for (puzzle, predicted) in zip(puzzles, evaluation.predictions) {
                let steps = try #require(puzzle["steps"] as? [[String: Any]])
                #expect(steps.count == k)
                #expect(puzzle["puzzle_rows"] as? Int == 4 && puzzle["puzzle_columns"] as? Int == 4)
                #expect(steps.last?["answer"] as? String == PuzzleGrid(kind: .sudoku, tokens: predicted).text)
                // The raw token ids of step K are eval's predicted tokens at K.
                #expect(steps.last?["tokens"] as? [Int] == predicted.map { Int($0) })
                for step in steps {
                    let confidence = try #require(step["confidence"] as? [Double])
                    #expect(confidence.count == 16 && confidence.allSatisfy { $0 > 0 && $0 <= 1 })
                    #expect((step["answer"] as? String)?.count == 16)
                    let tokens = try #require(step["tokens"] as? [Int])
                    #expect(PuzzleGrid(kind: .sudoku, tokens: tokens).text == step["answer"] as? String)
                    #expect(step["q_halt"] is Double && step["q_continue"] is Double)
                }
            }
        }
    }

    @Test func solveDrawsStepsAndRejectsBadPuzzles() throws {
        let (store, _) = try setup()
        let shown = try CLI.run(["solve", "smoke-eval", "--store", store, "--puzzle", "1.3...1.2..3.3.."])
        #expect(shown.status == 0, "\(shown.stderr)")
        for k in 1...4 { #expect(shown.stdout.contains("step \(k)  halt confidence")) }
        #expect(shown.stdout.contains("cells that changed since the previous step are marked *"))
        #expect(!shown.stdout.contains("\u{1B}["))

        let short = try CLI.run(["solve", "smoke-eval", "--store", store, "--puzzle", "1.3...1.2..3.3."])
        #expect(short.status != 0)
        #expect(short.stderr.contains("expected 16 characters of 1-4 and '.' (blank), found 15"), "\(short.stderr)")
        let both = try CLI.run(["solve", "smoke-eval", "--store", store])
        #expect(both.status != 0 && both.stderr.contains("give exactly one of --puzzle STRING or --input FILE"))
    }
}

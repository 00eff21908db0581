import ArgumentParser
import Foundation
import TRMExperiment

/// `trm-exp eval RUN [--checkpoint STEP|latest|best] [--k K] [--data CONFIG|FILE|DIR] ...`
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a run's checkpoint: accuracy at every K, halting, the reference's metrics.",
        discussion: """
            Runs the checkpoint on the run's test split (rebuilt from its config or read from the dataset cache) or on \
            --data: an experiment config (the test split its dataset section describes, built as `trm-exp run` builds \
            it), a CSV in the published Sudoku or maze format (each row verified; a bad row stops with its file and \
            line) or a dataset folder (trm-exp data build/export, or the reference's builders). Every example runs K ACT \
            steps; the report shows exact and token accuracy at K, accuracy if every example stopped after 1…K steps, and \
            what each halting rule achieves. ARC runs also get pass@K for K = 1, 2, 5, 10, 100 and 1000 with voting over augmentations, and \
            --submission FILE writes the ARC Prize submission (attempt_1, attempt_2 per test input). Maze runs also \
            get their wrong answers at K sorted by kind, judged from the maze alone: another shortest path (only the \
            labelled tie-break missed), a longer path, no single S–G path, or walls, S or G changed; and how many mazes \
            a path check over steps 1…K would solve (the shortest answer that marks a single S–G path), which tells \
            how often a right answer was among the model's own steps.

            The metrics and K statistics are recorded at the checkpoint's step under the split "eval" (the run's test \
            split) or "eval:<file name>", beside the training-time "test" rows, which are never replaced; \
            `trm-exp show RUN` lists them.

            Examples:
              trm-exp eval smoke
              trm-exp eval smoke --checkpoint best --k 16 --halt-threshold 0.5 0.9
              trm-exp eval sudoku-mlp --data sudoku-extreme/test.csv --limit 1000 --json
              trm-exp eval my-import --data experiments/smoke.json
              trm-exp eval arc-att --submission submission.json
            """)

    @Argument(help: .run)
    var reference: String

    @Option(help: .checkpoint)
    var checkpoint: String = "latest"

    @Flag(help: "Evaluate the EMA weights (runs trained with training.ema).")
    var ema = false

    @Option(name: .customLong("k"), help: ArgumentHelp("ACT steps per example, 1…64 (default: the run's evaluation.max_k).", valueName: "K"))
    var maxK: Int?

    @Option(
        name: .customLong("halt-threshold"), parsing: .upToNextOption,
        help: ArgumentHelp("Halting probabilities to report besides q_halt > 0 (default: the run's evaluation.halt_thresholds).", valueName: "P"))
    var haltThresholds: [Double] = []

    @Option(
        help: ArgumentHelp(
            "An experiment config (its dataset's test split), a published-format CSV or a dataset folder instead of the run's test split.",
            valueName: "config|file|dir"))
    var data: String?

    @Option(help: ArgumentHelp("Evaluate only the first N examples.", valueName: "N"))
    var limit: Int?

    @Option(help: ArgumentHelp("ARC runs: write the ARC Prize submission JSON to this file (atomically).", valueName: "file"))
    var submission: String?

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @Option(help: .store)
    var store: String = RunStore.defaultPath

    func validate() throws {
        guard CheckpointSelector(checkpoint) != nil else {
            throw ValidationError("--checkpoint \(checkpoint) is not a step number, 'latest' or 'best'; `trm-exp show RUN` lists the steps")
        }
        if let maxK, !(1...CheckpointEvaluation.maxKLimit).contains(maxK) {
            throw ValidationError("--k \(maxK) is out of range; use 1…\(CheckpointEvaluation.maxKLimit)")
        }
        if let p = haltThresholds.first(where: { !($0 > 0 && $0 < 1) }) {
            throw ValidationError("--halt-threshold \(p) is not a probability; use values between 0 and 1, e.g. 0.5 0.9")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        var options = CheckpointEvaluation.Options()
        options.checkpoint = CheckpointSelector(checkpoint)!
        options.ema = ema
        options.maxK = maxK
        options.thresholds = haltThresholds.isEmpty ? nil : haltThresholds
        options.dataPath = data
        options.limit = limit
        options.submissionPath = submission
        let result = try CheckpointEvaluation.run(reference, store: try RunStore.openExisting(path: store), options: options)
        if json {
            print(result.json)
        } else {
            print(result.text)
            print("\nrecorded under split \"\(result.splitName)\" at step \(result.step); `trm-exp show \(result.run.name)` lists it")
        }
        if let submission { Console.standardError.writeLine("wrote the ARC Prize submission to \(submission)") }
    }
}

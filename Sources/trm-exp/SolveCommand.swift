import ArgumentParser
import Foundation
import TRMExperiment

/// `trm-exp solve RUN (--puzzle STRING | --input FILE) [--k K] ...`
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Watch a run's model solve puzzles: the answer after every ACT step and when it would stop.",
        discussion: """
            Runs each puzzle K ACT steps and draws the answer grid after every step, with the cells that changed since \
            the previous step highlighted (marked * when the output is not a terminal), the halting confidence \
            sigmoid(q_halt), and the step where the model stops on its own (the first with q_halt > 0). Step K's answer \
            is what `trm-exp eval --k K` scores.

            Puzzles, in the format of the run's dataset:
              Sudoku   81, 36 or 16 characters row by row: digits, '.' or '0' for blanks
              maze     side² characters row by row of '#' (wall), ' ' (open), 'S' and 'G'
              ARC      a task id of the run's test set, or a task JSON file ({"train": [...], "test": [...]})
            --input takes a file with one puzzle per line, or a CSV in the published format (answers are then checked).

            Examples:
              trm-exp solve smoke --puzzle '1.3...1.2..3.3..'
              trm-exp solve sudoku-mlp --input puzzles.txt --k 16 --json > steps.json
            """)

    @Argument(help: .run)
    var reference: String

    @Option(help: ArgumentHelp("One puzzle (or, for ARC runs, a task id or task JSON file).", valueName: "string"))
    var puzzle: String?

    @Option(help: ArgumentHelp("A file with one puzzle per line, or a published-format CSV.", valueName: "file"))
    var input: String?

    @Option(name: .customLong("k"), help: ArgumentHelp("ACT steps, 1…64 (default: the run's evaluation.max_k).", valueName: "K"))
    var maxK: Int?

    @Option(help: .checkpoint)
    var checkpoint: String = "latest"

    @Flag(help: "Use the EMA weights (runs trained with training.ema).")
    var ema = false

    @Flag(help: "Print JSON: per puzzle and step the answer, the raw predicted token ids (tokens), the halting logits and each cell's confidence.")
    var json = false

    @Option(help: .store)
    var store: String = RunStore.defaultPath

    func validate() throws {
        guard (puzzle == nil) != (input == nil) else {
            throw ValidationError("give exactly one of --puzzle STRING or --input FILE")
        }
        guard CheckpointSelector(checkpoint) != nil else {
            throw ValidationError("--checkpoint \(checkpoint) is not a step number, 'latest' or 'best'; `trm-exp show RUN` lists the steps")
        }
        if let maxK, !(1...CheckpointEvaluation.maxKLimit).contains(maxK) {
            throw ValidationError("--k \(maxK) is out of range; use 1…\(CheckpointEvaluation.maxKLimit)")
        }
    }

    func run() throws {
        let result = try SolveSession.run(
            reference, store: try RunStore.openExisting(path: store), checkpoint: CheckpointSelector(checkpoint)!, ema: ema, maxK: maxK,
            input: puzzle.map { SolveSession.Input.puzzle($0) } ?? SolveSession.Input.file(input!))
        if json {
            print(result.json)
            return
        }
        print("run \(result.loaded.run.id) (\(result.loaded.run.name)), checkpoint step \(result.loaded.record.step), K = \(result.maxK)\n")
        let colour = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        print(result.traces.map { $0.text(colour: colour) }.joined(separator: "\n\n"))
    }
}

import Foundation
import TRMData

/// `trm-exp solve` as one call: load the checkpoint, read the puzzles, trace them.
public enum SolveSession {
    /// Where the puzzles come from.
    public enum Input: Sendable {
        /// One puzzle string (Sudoku, maze) or, for ARC runs, a task id or task JSON file.
        case puzzle(String)
        /// A file with one puzzle per line, a published-format CSV, or an ARC task JSON file.
        case file(String)
    }

    /// The traces and what produced them.
    public struct Result {
        /// The checkpoint whose model solved the puzzles.
        public var loaded: LoadedCheckpoint
        /// ACT steps run per puzzle.
        public var maxK: Int
        /// One trace per puzzle, in input order.
        public var traces: [SolveTrace]

        /// All traces as one JSON value: the run, checkpoint step, K and one trace per puzzle.
        public var jsonObject: [String: Any] {
            ["run": loaded.run.id, "name": loaded.run.name, "step": loaded.record.step, "k": maxK, "puzzles": traces.map(\.jsonObject)]
        }

        /// All traces as one JSON document.
        public var json: String {
            let data = (try? JSONSerialization.data(withJSONObject: jsonObject, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Runs `input` through a run's checkpoint for `maxK` ACT steps (default: the run's
    /// `evaluation.max_k`).
    /// - Throws: `PuzzleInputError` saying what is wrong with a puzzle; store and checkpoint errors.
    public static func run(_ reference: String, store: RunStore, checkpoint: CheckpointSelector, ema: Bool, maxK: Int?, input: Input) throws -> Result
    {
        let loaded = try LoadedCheckpoint.load(run: reference, store: store, checkpoint: checkpoint, ema: ema)
        let experiment = try loaded.run.experimentConfig()
        let kind = experiment.dataset.kind
        let cells = loaded.config.seq_len
        let puzzles: [SolvePuzzle]
        switch (input, kind) {
        case (.puzzle(let reference), .arc):
            puzzles = try SolveInput.arcTask(reference) { try DatasetPreparation.prepare(experiment).dataset }
        case (.puzzle(let text), _): puzzles = [try SolvePuzzleParser.puzzle(text, kind: kind, cells: cells)]
        case (.file(let path), _): puzzles = try SolveInput.file(path, kind: kind, cells: cells)
        }
        return try trace(puzzles, loaded: loaded, experiment: experiment, maxK: maxK)
    }

    /// Traces puzzles already read through a loaded checkpoint for `maxK` ACT steps (default: the
    /// run's `evaluation.max_k`); `experiment` is the run's resolved config.
    /// - Throws: `PuzzleInputError` when K is out of range or a puzzle does not fit the model.
    public static func trace(_ puzzles: [SolvePuzzle], loaded: LoadedCheckpoint, experiment: ExperimentConfig, maxK: Int?) throws -> Result {
        let k = maxK ?? experiment.evaluation.max_k
        guard (1...CheckpointEvaluation.maxKLimit).contains(k) else {
            throw PuzzleInputError("--k \(k) is out of range; use 1…\(CheckpointEvaluation.maxKLimit)")
        }
        let traces = try StepwiseSolve.run(puzzles, parameters: loaded.parameters, maxK: k, loss: experiment.training.loss)
        return Result(loaded: loaded, maxK: k, traces: traces)
    }
}

import Foundation
import TRMCore
import TRMData
import TRMModel

/// `trm-exp eval`: measures one checkpoint of a run on its test split or other data, with the
/// same `Evaluation` the training loop runs, and records the outcome beside the run's own
/// evaluations (under its own split name, so training-time rows are never replaced).
public enum CheckpointEvaluation {
    /// What to evaluate and how.
    public struct Options: Sendable {
        /// Which checkpoint of the run to evaluate (default the latest).
        public var checkpoint: CheckpointSelector = .latest
        /// Use the EMA weights.
        public var ema = false
        /// ACT steps per example, 1…64; nil: the run's `evaluation.max_k`.
        public var maxK: Int?
        /// Halting probabilities; nil: the run's `evaluation.halt_thresholds`.
        public var thresholds: [Double]?
        /// An experiment config (its dataset's test split), a CSV file or a dataset folder; nil: the
        /// run's test split.
        public var dataPath: String?
        /// Evaluate at most this many examples.
        public var limit: Int?
        /// Store the metrics and K statistics in the run store.
        public var record = true
        /// Write the ARC Prize submission (`attempt_1`, `attempt_2` per test input) to this file,
        /// atomically; ARC runs only.
        public var submissionPath: String?

        /// The defaults: latest checkpoint, trained weights, the run's K and test split, recorded.
        public init() {}
    }

    /// The outcome of one checkpoint evaluation.
    public struct Result {
        /// The run whose checkpoint was evaluated.
        public var run: RunRecord
        /// Training step of the checkpoint.
        public var step: Int
        /// Split name the outcome is recorded under ("eval" or "eval:<file or folder name>").
        public var splitName: String
        /// One line saying where the evaluated data came from.
        public var dataSummary: String
        /// ACT steps run per example.
        public var maxK: Int
        /// K statistics and the loss head's metrics after the last step.
        public var evaluation: EvaluationResult
        /// pass@K with voting over augmented copies (ARC runs only).
        public var arc: ARCEvaluationResult?
        /// Predicted tokens of every evaluated example after `maxK` steps, in split order.
        public var predictions: [[Int32]]
        /// The wrong answers after `maxK` steps by kind, and the path check over steps 1…`maxK`
        /// (maze runs only).
        public var mazeAnswers: MazeAnswerAnalysis?
    }

    /// Largest K accepted (the config's limit too).
    public static let maxKLimit = 64

    /// Loads the checkpoint and data, evaluates, and records the metrics (step = the checkpoint's
    /// step, split = `Result.splitName`) and K statistics.
    /// - Throws: `RunStoreError`/`CheckpointError`/`DatasetError`/`ConfigError` saying what is wrong.
    public static func run(_ reference: String, store: RunStore, options: Options) throws -> Result {
        let loaded = try LoadedCheckpoint.load(run: reference, store: store, checkpoint: options.checkpoint, ema: options.ema)
        let experiment = try loaded.run.experimentConfig(forData: options.dataPath)
        let maxK = options.maxK ?? experiment.evaluation.max_k
        guard (1...maxKLimit).contains(maxK) else { throw CheckpointError("--k \(maxK) is out of range; use 1…\(maxKLimit)") }
        if options.submissionPath != nil, experiment.dataset.kind != .arc {
            throw CheckpointError(
                "--submission writes an ARC Prize submission, but run \(loaded.run.name) is a \(experiment.dataset.kind.rawValue) run; use it with ARC runs only"
            )
        }
        let data = try EvaluationData.load(
            path: options.dataPath, experiment: experiment, seqLen: loaded.config.seq_len,
            vocabSize: loaded.config.vocab_size)
        var arc: ARCEvaluator? = nil
        if experiment.dataset.kind == .arc { arc = try ARCEvaluator(dataset: data.dataset) }
        var mazeAnswers = experiment.dataset.kind == .maze ? MazeAnswerAnalysis() : nil
        let seqLen = loaded.config.seq_len
        var predictions: [[Int32]] = []
        let evaluation = Evaluation.run(
            parameters: loaded.parameters, split: data.split, batchSize: min(experiment.training.batch_size, 256), maxK: maxK,
            thresholds: options.thresholds ?? experiment.evaluation.halt_thresholds, limit: options.limit,
            loss: experiment.training.loss, groups: ExampleGroups.labels(kind: experiment.dataset.kind, dataset: data.dataset, split: data.split)
        ) { step in
            mazeAnswers?.add(step, maxK: maxK, seqLen: seqLen)
            guard step.k == maxK else { return }
            for row in 0..<step.validRows { predictions.append(Array(step.predictions[(row * seqLen)..<((row + 1) * seqLen)])) }
            if arc != nil {
                var batch = step.batch
                batch.validRows = step.validRows
                arc!.add(
                    batch: batch, predictedTokens: step.predictions,
                    qHaltLogits: stride(from: 0, to: step.qLogits.count, by: 2).map { step.qLogits[$0] })
            }
        }
        let result = Result(
            run: loaded.run, step: loaded.record.step, splitName: data.splitName, dataSummary: data.summary, maxK: maxK,
            evaluation: evaluation, arc: arc?.result(), predictions: predictions,
            mazeAnswers: mazeAnswers)
        if let path = options.submissionPath { try arc?.writeSubmission(to: URL(fileURLWithPath: path)) }
        if options.record { try record(result, store: store) }
        return result
    }

    /// The metrics recorded for a result: the reference's metrics at K, pass@K for ARC, and K.
    public static func metrics(_ result: Result) -> [String: Double] {
        var values = result.evaluation.referenceMetrics
        values["k"] = Double(result.maxK)
        for k in arcPassKs { if let pass = result.arc?.passAtK[k] { values["pass@\(k)"] = pass } }
        return values
    }

    /// The pass@K reported for ARC runs: every K the ARC evaluator scores (1, 2, 5, 10, 100, 1000).
    public static let arcPassKs = ARCEvaluator.ks

    private static func record(_ result: Result, store: RunStore) throws {
        let points = metrics(result).sorted { $0.key < $1.key }.map {
            MetricPoint(step: result.step, split: result.splitName, key: $0.key, value: $0.value)
        }
        try store.replaceMetrics(run: result.run.id, step: result.step, split: result.splitName, points)
        try store.recordKStatistics(run: result.run.id, evalStep: result.step, split: result.splitName, result.evaluation.statistics)
    }
}

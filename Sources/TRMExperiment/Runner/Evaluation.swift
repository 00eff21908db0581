import Foundation
import TRMCore
import TRMData
import TRMModel

/// The outcome of one evaluation: K statistics from every step, and the reference's metrics
/// after the last step.
public struct EvaluationResult: Sendable {
    /// Accuracy at every K and halting outcomes of this evaluation.
    public var statistics: KStatistics
    /// The loss head's sums after the last step (§10.1), over counted examples.
    public var lastStep: StepMetrics

    /// The reference's logged evaluation metrics at K = maxK, each divided by the number of counted
    /// examples (so `exact_accuracy` is the fraction of test puzzles fully solved).
    public var referenceMetrics: [String: Double] {
        let n = Double(max(lastStep.count, 1))
        return [
            "exact_accuracy": Double(lastStep.exactAccuracy) / n, "accuracy": lastStep.accuracy / n,
            "q_halt_accuracy": Double(lastStep.qHaltAccuracy) / n, "steps": Double(lastStep.steps) / n,
            "lm_loss": lastStep.lmLoss / n, "q_halt_loss": lastStep.qHaltLoss / n, "count": Double(lastStep.count),
        ]
    }
}

/// What the model produced at one ACT step of one evaluation batch, for callers that need more
/// than the K statistics (per-example answers, ARC voting, per-cell confidence). Valid only
/// during the observer call: the buffers are reused by the next step.
public struct EvaluationStep {
    /// ACT step, 1…maxK.
    public var k: Int
    /// Index in the split of the batch's first row.
    public var firstExample: Int
    /// Rows of the batch that are real, counted examples (the rest are padding).
    public var validRows: Int
    /// The batch as drawn from the split.
    public var batch: PuzzleBatch
    /// Argmax token per position, `rows × seq_len`.
    public var predictions: [Int32]
    /// (halt, continue) logits per row, `rows × 2`.
    public var qLogits: [Float]
    /// Output logits, `rows × seq_len × vocab_size`.
    public var logits: FloatBuffer
}

/// Runs a model over a split in order, K ACT steps per batch, recording every step.
public enum Evaluation {
    /// Evaluates `parameters` on `split` and returns the K statistics and last-step metrics.
    /// - Parameters:
    ///   - parameters: the model weights and the config they belong to.
    ///   - split: the examples to evaluate, taken in order.
    ///   - batchSize: sequences per forward pass.
    ///   - limit: evaluate at most this many examples (from the start of the split).
    ///   - maxK: ACT steps per example (any K ≥ 1, independent of the trained halt_max_steps).
    ///   - thresholds: halting probabilities for the halting statistics.
    ///   - loss: cross-entropy variant of the reported loss (default stablemax, as in training).
    ///   - groups: one group label per example of `split` (the ARC task), recorded with its K trace.
    ///   - observer: called after every ACT step of every batch (eval's ARC voting, solve's trace).
    public static func run(
        parameters: ModelParameters, split: PuzzleSplit, batchSize: Int, maxK: Int, thresholds: [Double], limit: Int? = nil,
        loss: LossKind = .stablemax, groups: [String?]? = nil, observer: ((EvaluationStep) -> Void)? = nil
    ) -> EvaluationResult {
        let config = parameters.config
        let s = config.seq_len
        let total = min(split.exampleCount, limit ?? Int.max)
        let rows = max(1, min(batchSize, total))
        let network = TRMNetwork(parameters: parameters, batchSize: rows, trainable: false)
        var accumulator = KStatisticsAccumulator(maxK: maxK)
        var lastStep = StepMetrics()
        var predictions = [Int32](repeating: 0, count: rows * s)
        var batches = EvaluationBatches(split: split, batchSize: rows)
        var start = 0
        while start < total, let batch = batches.next() {
            let valid = min(batch.validRows, total - start)
            var labels = batch.labels
            // Padding rows and rows past the limit are run but must not count.
            for b in valid..<rows { for t in 0..<s { labels[b * s + t] = -100 } }
            let tokens = TokenBatch(inputs: batch.inputs, labels: labels, puzzleIdentifiers: batch.puzzleIdentifiers)
            let carry = ACTCarry(config: config, batchSize: rows)
            accumulator.beginBatch(
                rows: valid, difficulty: split.difficulty.map { d in (0..<valid).map { Double(d[start + $0]) } },
                group: groups.map { g in Array(g[start..<(start + valid)]) })
            for k in 1...maxK {
                let metrics = predictions.withUnsafeMutableBufferPointer { out in
                    network.evalStep(carry, batch: k == 1 ? tokens : nil, maxSteps: maxK, loss: loss, predictions: out.baseAddress!)
                }
                let qLogits = network.qLogits.array
                accumulator.record(step: k, predictions: predictions, labels: labels, seqLen: s, qLogits: qLogits)
                observer?(
                    EvaluationStep(
                        k: k, firstExample: start, validRows: valid, batch: batch, predictions: predictions,
                        qLogits: qLogits, logits: network.logits))
                if k == maxK { lastStep.add(metrics) }
            }
            start += rows
        }
        return EvaluationResult(statistics: accumulator.statistics(thresholds: thresholds), lastStep: lastStep)
    }
}

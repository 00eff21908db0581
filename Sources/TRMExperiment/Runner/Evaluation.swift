import Foundation
import TRMCore
import TRMData
import TRMModel

/// What evaluation saw, step by step: for every evaluated example and every ACT step k = 1…K,
/// whether the answer was exactly right, its token accuracy and the halting logit. K statistics
/// and reports are computed from this.
public struct EvaluationTrace: Sendable {
    /// Steps run per example.
    public let maxK: Int
    /// Examples evaluated (padding rows and examples without labels excluded).
    public private(set) var count = 0
    /// `[count, maxK]`, row-major.
    public private(set) var exact: [Bool] = []
    public private(set) var tokenAccuracy: [Double] = []
    public private(set) var qHalt: [Float] = []
    /// Per example, when the dataset knows it (Sudoku rating, maze path length).
    public private(set) var difficulty: [Double?] = []
    /// Indices of the evaluated examples in the split.
    public private(set) var exampleIndices: [Int] = []
    /// The reference's evaluation metrics after the last step (§10.1), summed over examples.
    public private(set) var lastStep = StepMetrics()

    init(maxK: Int) { self.maxK = maxK }

    mutating func append(example: Int, exact: [Bool], tokenAccuracy: [Double], qHalt: [Float], difficulty: Double?) {
        count += 1
        exampleIndices.append(example)
        self.exact += exact
        self.tokenAccuracy += tokenAccuracy
        self.qHalt += qHalt
        self.difficulty.append(difficulty)
    }

    mutating func addLastStep(_ metrics: StepMetrics) {
        lastStep.count += metrics.count
        lastStep.accuracy += metrics.accuracy
        lastStep.exactAccuracy += metrics.exactAccuracy
        lastStep.qHaltAccuracy += metrics.qHaltAccuracy
        lastStep.steps += metrics.steps
        lastStep.lmLoss += metrics.lmLoss
        lastStep.qHaltLoss += metrics.qHaltLoss
    }

    /// Exact accuracy if inference stopped after step `k` (1-based).
    public func exactAccuracy(atK k: Int) -> Double {
        guard count > 0 else { return 0 }
        return Double((0..<count).filter { exact[$0 * maxK + k - 1] }.count) / Double(count)
    }

    /// Mean token accuracy if inference stopped after step `k`.
    public func tokenAccuracy(atK k: Int) -> Double {
        guard count > 0 else { return 0 }
        return (0..<count).reduce(0) { $0 + tokenAccuracy[$1 * maxK + k - 1] } / Double(count)
    }

    /// The reference's logged evaluation metrics at K = maxK (`all/…` in its logs), each divided by
    /// the number of counted examples.
    public var referenceMetrics: [String: Double] {
        let n = Double(max(lastStep.count, 1))
        return [
            "exact_accuracy": Double(lastStep.exactAccuracy) / n, "accuracy": lastStep.accuracy / n,
            "q_halt_accuracy": Double(lastStep.qHaltAccuracy) / n, "steps": Double(lastStep.steps) / n,
            "lm_loss": lastStep.lmLoss / n, "q_halt_loss": lastStep.qHaltLoss / n, "count": Double(lastStep.count),
        ]
    }
}

/// Runs a model over a split in order, K ACT steps per batch, recording every step.
public enum Evaluation {
    /// - Parameters:
    ///   - limit: evaluate at most this many examples (from the start of the split).
    ///   - maxK: ACT steps per example (any K ≥ 1, independent of the trained halt_max_steps).
    public static func run(
        parameters: ModelParameters, split: PuzzleSplit, batchSize: Int, maxK: Int, limit: Int? = nil, loss: LossKind = .stablemax
    ) -> EvaluationTrace {
        let config = parameters.config
        let s = config.seq_len
        let total = min(split.exampleCount, limit ?? Int.max)
        let rows = max(1, min(batchSize, total))
        let network = TRMNetwork(parameters: parameters, batchSize: rows, trainable: false)
        var trace = EvaluationTrace(maxK: maxK)
        var predictions = [Int32](repeating: 0, count: rows * s)
        var batches = EvaluationBatches(split: split, batchSize: rows)
        var start = 0
        while start < total, let batch = batches.next() {
            let valid = min(batch.validRows, total - start)
            var labels = batch.labels
            // Rows past the limit are evaluated but must not count: hide their labels.
            for b in valid..<rows { for t in 0..<s { labels[b * s + t] = -100 } }
            let tokens = TokenBatch(inputs: batch.inputs, labels: labels, puzzleIdentifiers: batch.puzzleIdentifiers)
            let carry = ACTCarry(config: config, batchSize: rows)
            var exact = [[Bool]](repeating: [], count: rows)
            var accuracy = [[Double]](repeating: [], count: rows)
            var halt = [[Float]](repeating: [], count: rows)
            for k in 1...maxK {
                let metrics = predictions.withUnsafeMutableBufferPointer { out in
                    network.evalStep(carry, batch: k == 1 ? tokens : nil, maxSteps: maxK, loss: loss, predictions: out.baseAddress!)
                }
                if k == maxK { trace.addLastStep(metrics) }
                for b in 0..<rows {
                    var validTokens = 0
                    var correct = 0
                    for t in 0..<s where labels[b * s + t] != -100 {
                        validTokens += 1
                        if predictions[b * s + t] == labels[b * s + t] { correct += 1 }
                    }
                    exact[b].append(validTokens > 0 && correct == validTokens)
                    accuracy[b].append(validTokens > 0 ? Double(correct) / Double(validTokens) : 0)
                    halt[b].append(network.qLogits[b * 2])
                }
            }
            for b in 0..<valid where labels[(b * s)..<(b * s + s)].contains(where: { $0 != -100 }) {
                let example = start + b
                trace.append(
                    example: example, exact: exact[b], tokenAccuracy: accuracy[b], qHalt: halt[b],
                    difficulty: split.difficulty.map { Double($0[example]) })
            }
            start += rows
        }
        return trace
    }
}

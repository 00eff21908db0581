import Foundation
import TRMCore

/// Cross-entropy used for the token loss.
public enum LossKind: String, Codable, Sendable, CaseIterable {
    /// The reference default, computed in float64: s(x) = 1/(1−x) for x < 0, x + 1 otherwise.
    case stablemax
    /// Ordinary log-softmax cross-entropy in float32 (works here, unlike the reference's path).
    case softmax
}

/// Losses and the reference's metrics of one ACT step (§8). Metrics are raw sums over the
/// sequences that halt at this step and have at least one valid label.
public struct StepMetrics: Codable, Equatable, Sendable {
    /// Sequences counted: those that halted at this step with at least one valid label.
    public var count = 0
    /// Sum over counted sequences of their token accuracy (fraction of valid labels predicted, 0…1).
    public var accuracy: Double = 0
    /// Counted sequences whose every valid label was predicted.
    public var exactAccuracy = 0
    /// Counted sequences where the halting decision (q_halt ≥ 0) matched whether the sequence was exactly right.
    public var qHaltAccuracy = 0
    /// Sum of the ACT steps the counted sequences took.
    public var steps = 0
    /// Token cross-entropy summed over the batch, each sequence's loss divided by its number of valid labels.
    public var lmLoss: Double = 0
    /// Binary cross-entropy of q_halt against exact correctness, summed over the batch.
    public var qHaltLoss: Double = 0
    /// lm_loss + 0.5 · q_halt_loss.
    public var totalLoss: Double { lmLoss + 0.5 * qHaltLoss }

    /// All sums zero.
    public init() {}

    /// Adds another step's (or batch's) sums.
    public mutating func add(_ other: StepMetrics) {
        count += other.count
        accuracy += other.accuracy
        exactAccuracy += other.exactAccuracy
        qHaltAccuracy += other.qHaltAccuracy
        steps += other.steps
        lmLoss += other.lmLoss
        qHaltLoss += other.qHaltLoss
    }
}

/// Computes the loss head's outputs and, when asked, the gradients of `scale · total` w.r.t. the
/// logits and the Q logits.
enum LossHead {
    static let ignoreLabel: Int32 = -100

    /// - Parameters:
    ///   - logits: `[B, S, V]`; labels `[B, S]` with −100 for ignored positions.
    ///   - halted/steps: the carry after this step (metrics count halting sequences only).
    ///   - dLogits/dQ: where to write gradients (nil to skip).
    static func evaluate(
        kind: LossKind, logits: UnsafePointer<Float>, qLogits: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
        halted: UnsafePointer<Bool>, steps: UnsafePointer<Int32>, batch: Int, seqLen s: Int, vocab v: Int,
        gradientScale: Float, dLogits: UnsafeMutablePointer<Float>?, dQ: UnsafeMutablePointer<Float>?,
        predictions: UnsafeMutablePointer<Int32>? = nil
    ) -> StepMetrics {
        var metrics = StepMetrics()
        var probabilities = [Double](repeating: 0, count: v)
        for b in 0..<batch {
            var valid = 0
            var correct = 0
            for t in 0..<s where labels[b * s + t] != ignoreLabel { valid += 1 }
            let divisor = Double(max(valid, 1))
            var sequenceLoss: Double = 0
            for t in 0..<s {
                let row = logits + (b * s + t) * v
                var best = 0
                for j in 1..<v where row[j] > row[best] { best = j }
                predictions?[b * s + t] = Int32(best)
                let label = labels[b * s + t]
                let dRow = dLogits.map { $0 + (b * s + t) * v }
                guard label != ignoreLabel else {
                    dRow?.update(repeating: 0, count: v)
                    continue
                }
                if best == Int(label) { correct += 1 }
                let y = Int(label)
                let weight = Double(gradientScale) / divisor
                switch kind {
                case .stablemax:
                    var total: Double = 0
                    for j in 0..<v {
                        let x = Double(row[j])
                        probabilities[j] = x < 0 ? 1 / (1 - x + 1e-30) : x + 1
                        total += probabilities[j]
                    }
                    sequenceLoss += -log(probabilities[y] / total)
                    if let dRow {
                        // d/dx_j of −log s(x_y) + log Σ s: s'(x_j)/Σs − [j = y]·s'(x_y)/s(x_y),
                        // with s' = s² for x < 0 and 1 otherwise.
                        for j in 0..<v {
                            let sj = probabilities[j]
                            let slope = row[j] < 0 ? sj * sj : 1
                            var grad = slope / total
                            if j == y { grad -= slope / sj }
                            dRow[j] = Float(grad * weight)
                        }
                    }
                case .softmax:
                    var maximum = row[0]
                    for j in 1..<v where row[j] > maximum { maximum = row[j] }
                    var total: Float = 0
                    for j in 0..<v { total += exp(row[j] - maximum) }
                    let logZ = log(total) + maximum
                    sequenceLoss += Double(logZ - row[y])
                    if let dRow {
                        for j in 0..<v {
                            var grad = exp(row[j] - logZ)
                            if j == y { grad -= 1 }
                            dRow[j] = grad * Float(weight)
                        }
                    }
                }
            }
            metrics.lmLoss += sequenceLoss / divisor
            let sequenceCorrect = correct == valid
            let qHalt = qLogits[b * 2]
            let target: Float = sequenceCorrect ? 1 : 0
            metrics.qHaltLoss += Double(max(qHalt, 0) - qHalt * target + log1p(exp(-abs(qHalt))))
            if let dQ {
                dQ[b * 2] = 0.5 * gradientScale * (1 / (1 + exp(-qHalt)) - target)
                dQ[b * 2 + 1] = 0
            }
            if halted[b] && valid > 0 {
                metrics.count += 1
                metrics.accuracy += Double(Float(correct) / Float(valid))
                if sequenceCorrect { metrics.exactAccuracy += 1 }
                if (qHalt >= 0) == sequenceCorrect { metrics.qHaltAccuracy += 1 }
                metrics.steps += Int(steps[b])
            }
        }
        return metrics
    }
}

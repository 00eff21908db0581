import Foundation
import TRMModel

/// Sums of the training metrics over one logging interval, normalised as the reference logs them
/// (§9.1): losses per example of the batch, the rest per halting sequence; plus the halting
/// histogram of the interval (how many sequences halted after k ACT steps).
struct TrainingLog: Codable {
    private var steps = 0
    private var batchRows = 0
    private var lmLoss = 0.0
    private var qHaltLoss = 0.0
    private var accuracy = 0.0
    private var count = 0
    private var exact = 0
    private var qHaltCorrect = 0
    private var actSteps = 0
    private var halting: [Int: Int] = [:]
    private var started = Date()

    mutating func add(_ metrics: StepMetrics, batchSize: Int, haltedSteps: [Int32]) {
        steps += 1
        batchRows += batchSize
        count += metrics.count
        accuracy += metrics.accuracy
        exact += metrics.exactAccuracy
        qHaltCorrect += metrics.qHaltAccuracy
        actSteps += metrics.steps
        lmLoss += metrics.lmLoss
        qHaltLoss += metrics.qHaltLoss
        for k in haltedSteps { halting[Int(k), default: 0] += 1 }
    }

    var isEmpty: Bool { steps == 0 }

    /// Whether any sequence halted in this interval (accuracy is measured on halting sequences).
    var hasHaltedSequences: Bool { count > 0 }

    /// The metric values of the interval, keyed as stored (`split` "train").
    func values(lr: Double) -> [(String, Double)] {
        let rows = Double(max(batchRows, 1))
        let counted = Double(max(count, 1))
        let seconds = Date().timeIntervalSince(started)
        var values: [(String, Double)] = [
            ("loss", (lmLoss + 0.5 * qHaltLoss) / rows), ("lm_loss", lmLoss / rows), ("q_halt_loss", qHaltLoss / rows),
            ("accuracy", accuracy / counted), ("exact_accuracy", Double(exact) / counted),
            ("q_halt_accuracy", Double(qHaltCorrect) / counted), ("steps", Double(actSteps) / counted),
            ("count", Double(count) / Double(max(steps, 1))), ("lr", lr),
            ("examples_per_second", seconds > 0 ? Double(batchRows) / seconds : 0),
        ]
        for (k, count) in halting.sorted(by: { $0.key < $1.key }) { values.append(("halted_at_k\(k)", Double(count))) }
        return values
    }

    /// Values for the progress line.
    var progressFields: [(name: String, value: Double)] {
        let rows = Double(max(batchRows, 1))
        let counted = Double(max(count, 1))
        return [
            ("loss", (lmLoss + 0.5 * qHaltLoss) / rows), ("acc", accuracy / counted),
            ("exact", Double(exact) / counted), ("act", Double(actSteps) / counted),
        ]
    }
}

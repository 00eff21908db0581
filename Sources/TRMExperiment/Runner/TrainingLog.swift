import Foundation
import TRMModel

/// Sums of the training metrics over one logging interval, normalised as the reference logs them
/// (§9.1): losses per example of the batch, the rest per halting sequence; plus the halting
/// histogram of the interval (how many sequences halted after k ACT steps).
struct TrainingLog: Codable {
    private var steps = 0
    private var batchRows = 0
    private var sums = StepMetrics()
    private var halting: [Int: Int] = [:]
    private var started = Date()

    mutating func add(_ metrics: StepMetrics, batchSize: Int, haltedSteps: [Int32]) {
        steps += 1
        batchRows += batchSize
        sums.add(metrics)
        for k in haltedSteps { halting[Int(k), default: 0] += 1 }
    }

    var isEmpty: Bool { steps == 0 }

    /// Whether any sequence halted in this interval (accuracy is measured on halting sequences).
    var hasHaltedSequences: Bool { sums.count > 0 }

    /// The metric values of the interval, keyed as stored (`split` "train").
    func values(lr: Double) -> [(String, Double)] {
        let rows = Double(max(batchRows, 1))
        let counted = Double(max(sums.count, 1))
        let seconds = Date().timeIntervalSince(started)
        var values: [(String, Double)] = [
            ("loss", sums.totalLoss / rows), ("lm_loss", sums.lmLoss / rows), ("q_halt_loss", sums.qHaltLoss / rows),
            ("accuracy", sums.accuracy / counted), ("exact_accuracy", Double(sums.exactAccuracy) / counted),
            ("q_halt_accuracy", Double(sums.qHaltAccuracy) / counted), ("steps", Double(sums.steps) / counted),
            ("count", Double(sums.count) / Double(max(steps, 1))), ("lr", lr),
            ("examples_per_second", seconds > 0 ? Double(batchRows) / seconds : 0),
        ]
        for (k, count) in halting.sorted(by: { $0.key < $1.key }) { values.append(("halted_at_k\(k)", Double(count))) }
        return values
    }

    /// Values for the progress line.
    var progressFields: [(name: String, value: Double)] {
        let rows = Double(max(batchRows, 1))
        let counted = Double(max(sums.count, 1))
        return [
            ("loss", sums.totalLoss / rows), ("acc", sums.accuracy / counted),
            ("exact", Double(sums.exactAccuracy) / counted), ("act", Double(sums.steps) / counted),
        ]
    }
}

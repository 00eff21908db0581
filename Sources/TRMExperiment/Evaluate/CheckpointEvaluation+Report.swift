import Foundation
import TRMData

extension CheckpointEvaluation.Result {
    /// The terminal report: what was measured, the headline numbers, the reference's metrics, ARC
    /// pass@K, then the K tables `compare` shows and, for mazes, the wrong answers by kind and the path check.
    public var text: String {
        let metrics = CheckpointEvaluation.metrics(self)
        var lines = [
            "run \(run.id) (\(run.name)), checkpoint step \(step)",
            "data \(dataSummary)",
            "\(evaluation.lastStep.count) examples, K = \(maxK) ACT steps",
            "",
        ]
        var table = TextTable(headers: ["metric", "value"], rightAligned: [1])
        table.append(["exact accuracy at K", ReportFormat.number(metrics["exact_accuracy"] ?? .nan)])
        table.append(["token accuracy at K", ReportFormat.number(metrics["accuracy"] ?? .nan)])
        for key in ["q_halt_accuracy", "lm_loss", "q_halt_loss"] { table.append([key, ReportFormat.number(metrics[key] ?? .nan)]) }
        for k in CheckpointEvaluation.arcPassKs {
            if let pass = metrics["pass@\(k)"] { table.append(["ARC pass@\(k) (voting)", ReportFormat.number(pass)]) }
        }
        lines.append(table.render())
        for report in ComparisonTables.kStatistics(evaluation.statistics, run: run, evalStep: step) { lines += ["", report.text] }
        if let mazeAnswers { lines += ["", mazeAnswers.table(k: maxK).text] }
        return lines.joined(separator: "\n")
    }

    /// The same content as JSON: metrics, accuracy at every K, every halting rule and, for mazes, the
    /// wrong answers by kind and the path check.
    public var json: String {
        let statistics = evaluation.statistics
        func finite(_ value: Double) -> Any { value.isFinite ? value : NSNull() }
        var object: [String: Any] = [
            "run": run.id, "name": run.name, "step": step, "split": splitName, "data": dataSummary, "k": maxK,
            "examples": evaluation.lastStep.count,
            "metrics": CheckpointEvaluation.metrics(self).mapValues(finite),
            "accuracy_at_k": statistics.accuracy.map {
                ["k": $0.k, "exact_accuracy": finite($0.exactAccuracy), "token_accuracy": finite($0.tokenAccuracy)] as [String: Any]
            },
            "halting": statistics.halting.map {
                [
                    "rule": $0.rule.label, "histogram": $0.histogram, "never_halted": $0.neverHalted, "exact_accuracy": finite($0.exactAccuracy),
                    "token_accuracy": finite($0.tokenAccuracy), "mean_k": finite($0.meanK), "steps_saved": finite($0.savedFraction),
                ] as [String: Any]
            },
        ]
        if let mazeAnswers {
            object["wrong_maze_answers"] = Dictionary(
                uniqueKeysWithValues: MazeAnswerKind.allCases.map { ($0.rawValue, mazeAnswers.wrongByKind[$0] ?? 0) })
            object["maze_path_check_solved"] = mazeAnswers.solvedByPathCheck
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

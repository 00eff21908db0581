import Foundation
import GRDB

/// How far a run has got: the latest step it reported and, when known, how many it will take.
public struct RunProgress: Sendable, Equatable {
    /// The param the runner records with the run's full length in optimiser steps (known only
    /// once the dataset is built when the config counts epochs).
    public static let totalStepsKey = "training.total_steps"

    /// The latest step the run logged a metric or wrote a checkpoint at.
    public var step: Int
    /// Optimiser steps of the whole run: `totalStepsKey`, else the config's `training.steps`;
    /// nil when neither is known.
    public var totalSteps: Int?

    /// Progress at `step` of a run of `totalSteps` steps (nil: unknown length).
    public init(step: Int, totalSteps: Int?) {
        self.step = step
        self.totalSteps = totalSteps
    }

    /// `step / totalSteps` in 0…1; nil when the length is unknown.
    public var fraction: Double? {
        guard let totalSteps, totalSteps > 0 else { return nil }
        return min(1, Double(step) / Double(totalSteps))
    }
}

extension RunStore {
    /// The progress of every run, by run id. A run still training also reads the step of its
    /// latest training loss (logged every `log_every` steps), since `steps_done` moves only at
    /// checkpoints; that is one index seek per running run, cheap enough to poll.
    public func progress() throws -> [String: RunProgress] {
        try read { db in
            var progress: [String: RunProgress] = [:]
            var running: [String] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, status, steps_done FROM runs") {
                let id: String = row["id"]
                progress[id] = RunProgress(step: row["steps_done"], totalSteps: nil)
                if (row["status"] as String) == RunStatus.running.rawValue { running.append(id) }
            }
            let loss = ReportMetrics.loss
            for id in running {
                let logged = try Int.fetchOne(
                    db, sql: "SELECT MAX(step) FROM metrics WHERE run_id = ? AND split = ? AND key = ?", arguments: [id, loss.split, loss.key])
                if let logged, logged > progress[id]?.step ?? 0 { progress[id]?.step = logged }
            }
            // The recorded length wins over the config's steps: it also covers epoch-based configs.
            for key in ["training.steps", RunProgress.totalStepsKey] {
                for row in try Row.fetchAll(db, sql: "SELECT run_id, value FROM params WHERE key = ?", arguments: [key]) {
                    let value: String = row["value"]
                    if let total = Int(value) { progress[row["run_id"]]?.totalSteps = total }
                }
            }
            return progress
        }
    }

    /// Every evaluation with K statistics of a run: the training steps per split ("test", "eval",
    /// "eval:<file>"), ascending.
    public func kEvaluations(run id: String) throws -> [String: [Int]] {
        try read { db in
            var steps: [String: [Int]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT DISTINCT split, eval_step FROM k_accuracy WHERE run_id = ? ORDER BY split, eval_step", arguments: [id])
            {
                steps[row["split"], default: []].append(row["eval_step"])
            }
            return steps
        }
    }
}

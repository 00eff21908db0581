import Foundation
import TRMExperiment

/// The JSON shapes of runs, checkpoints, metrics and K statistics (documented in the README's
/// API table). Plain dictionaries, like the CLI's `--json` output.
enum RunJSON {
    /// A run as the runs list shows it: identity, status and live progress.
    static func summary(_ run: RunRecord, best: Double?, progress: RunProgress?) -> [String: Any] {
        [
            "id": run.id, "name": run.name, "group": JSONResponse.optional(run.group_name), "status": run.status.rawValue,
            "steps_done": run.steps_done, "step": progress?.step ?? run.steps_done,
            "total_steps": JSONResponse.optional(progress?.totalSteps), "progress": JSONResponse.optional(progress?.fraction),
            "best_exact_accuracy": JSONResponse.optional(best), "started_at": JSONResponse.date(run.started_at),
            "ended_at": JSONResponse.date(run.ended_at),
        ]
    }

    /// The summary plus provenance.
    static func detail(_ run: RunRecord, best: Double?, progress: RunProgress?) -> [String: Any] {
        summary(run, best: best, progress: progress).merging([
            "config_hash": run.config_hash, "dataset_digest": JSONResponse.optional(run.dataset_digest), "seed": run.seed,
            "version": run.version, "git_commit": JSONResponse.optional(run.git_commit), "host": run.host,
        ]) { $1 }
    }

    /// A checkpoint file's record (its path stays on the server).
    static func checkpoint(_ record: CheckpointRecord) -> [String: Any] {
        [
            "step": record.step, "bytes": record.bytes, "sha256": record.sha256, "is_best": record.is_best,
            "created_at": JSONResponse.date(record.created_at),
        ]
    }

    /// Count, last, minimum and maximum of one metric series.
    static func metricSummary(_ summary: MetricSummary) -> [String: Any] {
        [
            "split": summary.split, "key": summary.key, "count": summary.count, "last_step": summary.last_step,
            "last": summary.last_value, "min": summary.min_value, "max": summary.max_value,
        ]
    }

    /// Metric values grouped into series (split, key) with [step, value] points in step order.
    static func series(_ records: [MetricRecord]) -> [[String: Any]] {
        var order: [String] = []
        var points: [String: [[Double]]] = [:]
        for record in records {
            let name = "\(record.split)/\(record.key)"
            if points[name] == nil { order.append(name) }
            points[name, default: []].append([Double(record.step), record.value])
        }
        return order.sorted().map { name in
            let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
            return ["split": parts[0], "key": parts.count > 1 ? parts[1] : "", "points": points[name] ?? []]
        }
    }

    /// One evaluation's K statistics: accuracy at every K, every halting rule with its histogram,
    /// the per-example profile and the difficulty quantiles.
    static func kStatistics(_ statistics: KStatistics) -> [String: Any] {
        let examples = statistics.examples
        func fraction(_ test: (KStatistics.Example) -> Bool) -> Any {
            examples.isEmpty ? NSNull() : Double(examples.filter(test).count) / Double(examples.count)
        }
        func mean(_ values: [Int]) -> Any { values.isEmpty ? NSNull() : Double(values.reduce(0, +)) / Double(values.count) }
        return [
            "max_k": statistics.maxK,
            "accuracy": statistics.accuracy.map { ["k": $0.k, "exact_accuracy": $0.exactAccuracy, "token_accuracy": $0.tokenAccuracy] },
            "halting": statistics.halting.map {
                [
                    "rule": $0.rule.label, "threshold": $0.rule.storedThreshold, "histogram": $0.histogram, "never_halted": $0.neverHalted,
                    "exact_accuracy": $0.exactAccuracy, "token_accuracy": $0.tokenAccuracy, "mean_k": $0.meanK, "steps_saved": $0.savedFraction,
                ] as [String: Any]
            },
            "examples": [
                "count": examples.count, "correct_at_max": fraction(\.correctAtMax), "ever_correct": fraction(\.everCorrect),
                "regressed": fraction(\.regressed), "mean_optimal_k": mean(examples.compactMap(\.optimalK)),
                "mean_halt_k": mean(examples.compactMap(\.haltK)),
            ] as [String: Any],
            "difficulty": statistics.difficultyBuckets.map {
                [
                    "lower": $0.lower, "upper": $0.upper, "count": $0.count, "solved": $0.solvedFraction,
                    "mean_optimal_k": JSONResponse.optional($0.meanOptimalK), "mean_halt_k": JSONResponse.optional($0.meanHaltK),
                ] as [String: Any]
            },
            "groups": statistics.groups.map {
                ["label": $0.label, "count": $0.count, "solved": $0.solvedFraction, "mean_optimal_k": JSONResponse.optional($0.meanOptimalK)]
                    as [String: Any]
            },
        ]
    }
}

import Foundation
import GRDB
import TRMModel

/// Why a comparison cannot be made; says what to do next.
public struct ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// The metric names reports look for (what the training loop logs).
public enum ReportMetrics {
    /// Training loss curve.
    public static let loss = (split: "train", key: "loss")
    /// Exact accuracy curve (the headline metric).
    public static let exactAccuracy = RunStore.headlineMetric
    /// Token accuracy on the test split (the reference's `accuracy`).
    public static let tokenAccuracy = (split: "test", key: "accuracy")
    /// Keys of a measured training throughput, in order of preference (any split).
    public static let throughputKeys = ["examples_per_second", "examples_per_sec", "examples_per_s"]
    /// Param (or metric) key holding the model's number of trained parameter values.
    public static let parameterCountKey = "model.num_parameters"

    /// Whether smaller values of a metric are better (losses), so "best" means the minimum.
    public static func lowerIsBetter(_ key: String) -> Bool { key.contains("loss") }
}

/// The last and best value of one metric series.
public struct SeriesSummary: Sendable, Equatable {
    /// "train", "test", or another split name.
    public var split: String
    /// Metric name, e.g. "loss" or "exact_accuracy".
    public var key: String
    /// Step of the last value in the series.
    public var finalStep: Int
    /// The last value in the series.
    public var finalValue: Double
    /// Step of the best value (minimum for losses, maximum otherwise; see `lowerIsBetter`).
    public var bestStep: Int
    /// The best value (minimum for losses, maximum otherwise).
    public var bestValue: Double
}

/// Everything a comparison shows about one run, read from the store once.
public struct RunSummary: Sendable {
    /// The run's `runs` row.
    public var run: RunRecord
    /// Flattened config values by dotted key (`training.lr`), as canonical JSON text.
    public var params: [String: String]
    /// Every metric value the run recorded.
    public var metrics: [MetricRecord]
    /// The K statistics of the latest evaluation that has them.
    public var kStatistics: KStatistics?
    /// Training step of that evaluation.
    public var kEvalStep: Int?

    /// Reads a run's params, metrics and latest K statistics.
    public init(run: RunRecord, store: RunStore) throws {
        self.run = run
        params = try store.params(run: run.id)
        metrics = try store.metrics(run: run.id)
        kEvalStep = try store.kEvaluationSteps(run: run.id).last
        kStatistics = try kEvalStep.flatMap { try store.kStatistics(run: run.id, evalStep: $0) }
    }

    /// A summary of K statistics measured outside the store (`trm-exp eval`), so its tables are
    /// the comparison's own.
    init(run: RunRecord, kStatistics: KStatistics, evalStep: Int) {
        self.run = run
        params = [:]
        metrics = []
        self.kStatistics = kStatistics
        kEvalStep = evalStep
    }

    /// One metric series as (step, value), in step order.
    public func series(_ split: String, _ key: String) -> [(step: Int, value: Double)] {
        metrics.filter { $0.split == split && $0.key == key }.map { ($0.step, $0.value) }
    }

    /// The last value of a series: for a test metric, its value at the run's last evaluation.
    public func finalValue(_ metric: (split: String, key: String)) -> Double? { series(metric.split, metric.key).last?.value }

    /// Final and best value of every series, by split then key. The best of a loss is its minimum.
    public var seriesSummaries: [SeriesSummary] {
        let grouped = Dictionary(grouping: metrics) { "\($0.split)\u{0}\($0.key)" }
        return grouped.values.compactMap { points -> SeriesSummary? in
            guard let last = points.last else { return nil }
            let lower = ReportMetrics.lowerIsBetter(last.key)
            // First occurrence of the best value, so ties report the earliest step.
            let best = points.reduce(points[0]) { lower ? ($1.value < $0.value ? $1 : $0) : ($1.value > $0.value ? $1 : $0) }
            return SeriesSummary(
                split: last.split, key: last.key, finalStep: last.step, finalValue: last.value,
                bestStep: best.step, bestValue: best.value)
        }.sorted { ($0.split, $0.key) < ($1.split, $1.key) }
    }

    /// Trained parameter values: the `model.num_parameters` param or metric, else computed from
    /// the model config when it is complete (seq_len and vocab_size known).
    public var parameterCount: Int? {
        if let text = params[ReportMetrics.parameterCountKey], let count = Int(text) { return count }
        if let metric = metrics.last(where: { $0.key == "num_parameters" || $0.key == ReportMetrics.parameterCountKey }) {
            return Int(metric.value)
        }
        var fields: [String: Any] = [:]
        for (key, value) in params where key.hasPrefix("model.") {
            fields[String(key.dropFirst(6))] = try? JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
        }
        guard let data = try? JSONSerialization.data(withJSONObject: fields.compactMapValues { $0 is NSNull ? nil : $0 }),
            let config = try? JSONDecoder().decode(TRMConfig.self, from: data), (try? config.validate()) != nil
        else { return nil }
        return ParameterLayout(config: config).count
    }

    /// Seconds from start to end (or to the last metric while it runs).
    public var wallTime: Double? {
        guard let end = run.ended_at ?? metrics.map(\.time).max() else { return nil }
        return max(0, end.timeIntervalSince(run.started_at))
    }

    /// Training examples per second: the mean logged throughput, else steps × batch size / wall time.
    public var examplesPerSecond: (value: Double, measured: Bool)? {
        for key in ReportMetrics.throughputKeys {
            let values = metrics.filter { $0.key == key }.map(\.value)
            if !values.isEmpty { return (values.reduce(0, +) / Double(values.count), true) }
        }
        guard let wall = wallTime, wall > 0, run.steps_done > 0, let batch = params["training.batch_size"].flatMap(Int.init) else { return nil }
        return (Double(run.steps_done * batch) / wall, false)
    }
}

extension RunStore {
    /// The runs of a group, oldest first.
    public func runs(inGroup name: String) throws -> [RunRecord] {
        try read { db in try RunRecord.filter(Column("group_name") == name).order(Column("started_at"), Column("id")).fetchAll(db) }
    }

    /// Every group name in the store, sorted.
    public func groupNames() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT group_name FROM runs WHERE group_name IS NOT NULL ORDER BY group_name") }
    }
}

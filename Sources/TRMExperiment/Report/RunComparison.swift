import Foundation

/// One column of a comparison: a single run, or a group of runs summarised by mean ± standard deviation.
public enum ComparisonSubject: Sendable {
    /// A single run.
    case run(RunSummary)
    /// Runs sharing a group name, summarised by mean ± standard deviation.
    case group(name: String, runs: [RunSummary])

    /// Column heading: the run's name and short id, or "group NAME (n runs)".
    public var label: String {
        switch self {
        case .run(let summary): "\(summary.run.name) (\(summary.run.id.prefix(6)))"
        case .group(let name, let runs): "group \(name) (\(runs.count) runs)"
        }
    }

    /// The runs behind the column.
    public var runs: [RunSummary] {
        switch self {
        case .run(let summary): [summary]
        case .group(_, let runs): runs
        }
    }

    /// Whether the column summarises several runs.
    public var isGroup: Bool { if case .group = self { true } else { false } }
}

/// The runs and groups named on the command line, loaded from the store.
public struct RunComparison: Sendable {
    /// The compared columns, in command-line order.
    public var subjects: [ComparisonSubject]
    /// Things the reader should know about how references were resolved (a name that is also a group).
    public var notes: [String] = []

    /// Subjects given directly (for tests and other front ends).
    public init(subjects: [ComparisonSubject]) { self.subjects = subjects }

    /// Resolves each reference: `group:NAME` is a group; otherwise a run id, id prefix or name,
    /// and failing that a group name.
    /// - Throws: `ReportError`/`RunStoreError` saying which reference matched nothing.
    public init(references: [String], store: RunStore) throws {
        guard !references.isEmpty else { throw ReportError("nothing to compare; name runs (id, prefix or name) or group:NAME") }
        let groups = try store.groupNames()
        var notes: [String] = []
        subjects = try references.map { reference in
            if reference.hasPrefix("group:") {
                return try Self.group(String(reference.dropFirst(6)), store: store)
            }
            do {
                let run = try store.resolveRun(reference)
                if run.name == reference && groups.contains(reference) {
                    notes.append("\"\(reference)\" names a run and a group; showing run \(run.id), `group:\(reference)` shows the group")
                }
                return .run(try RunSummary(run: run, store: store))
            } catch let error as RunStoreError {
                if groups.contains(reference) { return try Self.group(reference, store: store) }
                throw error
            }
        }
        self.notes = notes
    }

    private static func group(_ name: String, store: RunStore) throws -> ComparisonSubject {
        let runs = try store.runs(inGroup: name)
        guard !runs.isEmpty else {
            let names = try store.groupNames()
            throw ReportError(
                "no runs in group \"\(name)\"; "
                    + (names.isEmpty ? "no run has a group (set \"group\" in the config)" : "groups: \(names.joined(separator: ", "))"))
        }
        return .group(name: name, runs: try runs.map { try RunSummary(run: $0, store: store) })
    }
}

/// Mean and sample standard deviation of a few numbers.
public struct MeanStd: Sendable, Equatable {
    /// Arithmetic mean of the values.
    public var mean: Double
    /// Sample standard deviation (n − 1); 0 for a single value.
    public var std: Double
    /// Number of values.
    public var count: Int

    /// The statistics of `values`; nil when empty.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        count = values.count
        let mean = values.reduce(0, +) / Double(values.count)
        self.mean = mean
        std = values.count > 1 ? (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot() : 0
    }
}

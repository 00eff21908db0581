import Foundation
import GRDB

/// Our results beside the official implementation's (`trm-exp compare --reference FILE`, behind
/// `make learning-report`): for every reference recipe, and the runs listed with it, the latest
/// finished run or group of that name, its final test accuracies and training wall time, and
/// whether they meet the targets.
public struct ReferenceComparison: Sendable {
    /// One line of the report: a recipe's reference numbers and one run name of ours.
    public struct Line: Sendable {
        /// The reference row the line is measured against.
        public var recipe: ReferenceResults.Recipe
        /// Our run or group name.
        public var run: String
        /// Our config, for the command that runs it.
        public var config: String
        /// What the line is when it is not the recipe's own run (e.g. "ours, better recipe").
        public var label: String?
        /// What the store holds for `run`; nil when nothing of that name has finished.
        public var subject: ComparisonSubject?
    }

    /// The seeds the "not run" lines suggest.
    public static let suggestedSeeds = [0, 1, 2]

    /// The reference file's contents.
    public var results: ReferenceResults
    /// The report lines, in the file's order (each recipe, then its `also` runs).
    public var lines: [Line]
    /// The store the runs were looked up in.
    public var storePath: String

    /// Looks up every recipe's runs in the store at `storePath`; a missing store means nothing has run yet.
    public init(results: ReferenceResults, storePath: String) throws {
        self.results = results
        self.storePath = storePath
        let store = FileManager.default.fileExists(atPath: storePath) ? try RunStore.openExisting(path: storePath) : nil
        lines = try results.recipes.flatMap { recipe in
            try ([(recipe.run, recipe.config, nil)] + (recipe.also ?? []).map { ($0.run, $0.config, $0.label) }).map { run, config, label in
                Line(recipe: recipe, run: run, config: config, label: label, subject: try store.flatMap { try Self.latestFinished(run, store: $0) })
            }
        }
    }

    /// What a recipe name means in the store: the group of that name when its newest finished
    /// run is at least as recent as the newest finished run of that name, else that run. A
    /// group keeps the newest finished run of each seed, so a repeated sweep replaces the
    /// earlier one instead of doubling it. Nil when nothing of the name has finished.
    public static func latestFinished(_ name: String, store: RunStore) throws -> ComparisonSubject? {
        let members = try store.runs(inGroup: name).filter { $0.status == .finished }
        let newestPerSeed = Dictionary(grouping: members, by: \.seed).values.compactMap { $0.max { $0.started_at < $1.started_at } }
            .sorted { $0.seed < $1.seed }
        let single = try store.read { db in
            try RunRecord.filter(Column("name") == name && Column("status") == RunStatus.finished.rawValue)
                .order(Column("started_at").desc, Column("id").desc).fetchOne(db)
        }
        if let newest = newestPerSeed.map(\.started_at).max(), newest >= single?.started_at ?? .distantPast {
            return .group(name: name, runs: try newestPerSeed.map { try RunSummary(run: $0, store: store) })
        }
        return try single.map { .run(try RunSummary(run: $0, store: store)) }
    }

    /// The report as one table.
    public var table: ReportTable {
        let targets = results.targets
        let rows = lines.map { line -> [String] in
            let recipe = line.recipe
            let reference = [
                String(format: "%.1f (%.1f)", recipe.exact_percent, recipe.token_percent),
                (recipe.wall_time_approximate == true ? "~" : "") + Self.minutes(recipe.wall_time_minutes),
            ]
            let name = line.label.map { "↳ \($0)" } ?? recipe.recipe
            guard let subject = line.subject else {
                let store = storePath == RunStore.defaultPath ? "" : " --store \(storePath)"
                let seeds = Self.suggestedSeeds.map(String.init).joined(separator: ",")
                return [name, line.run, reference[0], "not run", reference[1], "-", "trm-exp run \(line.config) --seeds \(seeds)\(store)"]
            }
            let exact = MeanStd(subject.runs.compactMap { $0.finalValue(ReportMetrics.exactAccuracy) }.map { $0 * 100 })
            let token = MeanStd(subject.runs.compactMap { $0.finalValue(ReportMetrics.tokenAccuracy) }.map { $0 * 100 })
            let time = MeanStd(subject.runs.compactMap(\.wallTime).map { $0 / 60 })
            let ours =
                exact.map { exact in
                    "\(Self.percent(exact))" + (token.map { " (\(Self.percent($0)))" } ?? "")
                } ?? "no test metrics"
            var verdicts: [String] = []
            if let exact {
                let bound = String(format: "%.1f", recipe.exactBound(targets))
                verdicts.append(
                    "\(recipe.meetsExact(exact.mean, targets) ? "✓" : "✗") exact \(recipe.exact_target == .above ? ">" : "≥") \(bound)")
            }
            if let time {
                verdicts.append("\(time.mean <= recipe.timeBound(targets) ? "✓" : "✗") time ≤ \(Self.minutes(recipe.timeBound(targets)))")
            }
            return [
                name, subject.label, reference[0], ours, reference[1], time.map(Self.minutes) ?? "-",
                verdicts.isEmpty ? "-" : verdicts.joined(separator: ", "),
            ]
        }
        let note = """
            Reference: \(results.source) Ours: the latest finished run or seed group of each name (test split at its last \
            evaluation; mean ± sample standard deviation over seeds) from \(storePath). Targets: exact accuracy at least the \
            reference's minus \(String(format: "%g", targets.exact_margin_points)) points (above it where the reference solves \
            nothing), wall time at most \(String(format: "%g", targets.time_ratio)) × the reference's.
            """
        return ReportTable(
            title: "Learning: ours against the reference implementation", note: note,
            headers: [
                "recipe", "run", "reference exact % (token %)", "ours exact % (token %)", "reference time", "our time", "targets",
            ], rows: rows, numeric: [2, 3, 4, 5])
    }

    /// The table as a self-contained HTML page.
    public func html(generated: Date = Date()) -> String {
        ComparisonReport.page(title: table.title, generated: generated, body: [ComparisonReport.html(table)])
    }

    /// A percentage (already × 100) as "mean ± std" with one decimal.
    private static func percent(_ stats: MeanStd) -> String { ReportFormat.meanStd(stats) { String(format: "%.1f", $0) } }

    /// Minutes with up to two decimals ("4.7 min", "2.35 min", "21 min"), so a bound such as
    /// half of 4.7 min is printed exactly rather than rounded past a time it rejects.
    private static func minutes(_ value: Double) -> String { minutes(MeanStd([value])!) }

    /// "mean ± std min", each part with up to two decimals.
    private static func minutes(_ stats: MeanStd) -> String {
        ReportFormat.meanStd(stats) { value in
            var text = String(format: "%.2f", value)
            while text.hasSuffix("0") { text.removeLast() }
            return text.hasSuffix(".") ? String(text.dropLast()) : text
        } + " min"
    }
}

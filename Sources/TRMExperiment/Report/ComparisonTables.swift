import Foundation

/// The tables of a comparison, one column (or column pair) per subject. Groups show
/// mean ± standard deviation over their runs; per-example K statistics of a group are pooled.
public enum ComparisonTables {
    /// Every table, in report order; tables without data for any subject are left out.
    public static func build(_ comparison: RunComparison) -> [ReportTable] {
        let subjects = comparison.subjects
        return [
            overview(subjects), configDiff(subjects), metrics(subjects), accuracyAtK(subjects), halting(subjects),
            exampleProfile(subjects), paired(subjects), difficulty(subjects), groups(subjects),
        ].compactMap { $0 }
    }

    /// The K tables of one run's K statistics (accuracy at K, halting, per-example K, difficulty, ARC task),
    /// as `compare` shows them; `trm-exp eval` prints these for the checkpoint it measured.
    public static func kStatistics(_ statistics: KStatistics, run: RunRecord, evalStep: Int) -> [ReportTable] {
        let subjects = [ComparisonSubject.run(RunSummary(run: run, kStatistics: statistics, evalStep: evalStep))]
        return [accuracyAtK(subjects), halting(subjects), exampleProfile(subjects), difficulty(subjects), groups(subjects)].compactMap { $0 }
    }

    /// Provenance, size and speed.
    static func overview(_ subjects: [ComparisonSubject]) -> ReportTable {
        func stat(_ subject: ComparisonSubject, _ value: (RunSummary) -> Double?) -> MeanStd? { MeanStd(subject.runs.compactMap(value)) }
        var rows: [[String]] = []
        rows.append(["id"] + subjects.map { $0.runs.map { String($0.run.id.prefix(12)) }.joined(separator: " ") })
        rows.append(["seed"] + subjects.map { $0.runs.map { String($0.run.seed) }.joined(separator: " ") })
        rows.append(["status"] + subjects.map { Set($0.runs.map(\.run.status.rawValue)).sorted().joined(separator: ", ") })
        rows.append(["steps"] + subjects.map { ReportFormat.meanStd(stat($0) { Double($0.run.steps_done) }, format: ReportFormat.integer) })
        rows.append(
            ["parameters"]
                + subjects.map { subject in
                    Set(subject.runs.map { $0.parameterCount.map(String.init) ?? "-" }).sorted().joined(separator: ", ")
                })
        rows.append(
            ["wall time"]
                + subjects.map { subject in
                    ReportFormat.meanStd(stat(subject, \.wallTime), format: ReportFormat.duration)
                })
        let estimated = subjects.flatMap(\.runs).contains { $0.examplesPerSecond?.measured == false }
        rows.append(
            ["examples/s"]
                + subjects.map { subject in
                    let measured = subject.runs.allSatisfy { $0.examplesPerSecond?.measured ?? true }
                    let text = ReportFormat.meanStd(stat(subject) { $0.examplesPerSecond?.value })
                    return text == "-" || measured ? text : "≈" + text
                })
        rows.append(["K evaluated at step"] + subjects.map { $0.runs.map { $0.kEvalStep.map(String.init) ?? "-" }.joined(separator: " ") })
        let notes = [
            groupNote(subjects), estimated ? "≈: examples/s estimated from steps × batch size / wall time (no throughput logged)." : nil,
        ].compactMap { $0 }
        return ReportTable(
            title: "Runs", note: notes.isEmpty ? nil : notes.joined(separator: " "),
            headers: [""] + subjects.map(\.label), rows: rows, numeric: Set(1...subjects.count))
    }

    /// Config keys whose values differ between the columns (or within a group).
    static func configDiff(_ subjects: [ComparisonSubject]) -> ReportTable {
        let keys = Set(subjects.flatMap { $0.runs.flatMap { $0.params.keys } }).sorted()
        var rows: [[String]] = []
        for key in keys {
            var varies = false
            let cells = subjects.map { subject -> String in
                let values = subject.runs.map { $0.params[key] ?? "—" }
                let distinct = Array(Set(values)).sorted()
                if distinct.count > 1 { varies = true }
                return distinct.count == 1 ? distinct[0] : "varies: " + distinct.joined(separator: " | ")
            }
            if varies || Set(cells).count > 1 { rows.append([key] + cells) }
        }
        return ReportTable(
            title: "Config differences", note: rows.isEmpty ? "The configs are identical." : "Only keys that differ; — = not set.",
            headers: ["key"] + subjects.map(\.label), rows: rows)
    }

    /// Final and best value of every metric series.
    static func metrics(_ subjects: [ComparisonSubject]) -> ReportTable? {
        let summaries = subjects.map { $0.runs.map(\.seriesSummaries) }
        let names = Set(summaries.flatMap { $0.flatMap { $0.map { "\($0.split)/\($0.key)" } } }).sorted()
        guard !names.isEmpty else { return nil }
        let rows = names.map { name -> [String] in
            [name]
                + zip(subjects, summaries).flatMap { subject, perRun -> [String] in
                    let found = perRun.compactMap { $0.first { "\($0.split)/\($0.key)" == name } }
                    if !subject.isGroup, let one = found.first {
                        return ["\(ReportFormat.number(one.finalValue)) @\(one.finalStep)", "\(ReportFormat.number(one.bestValue)) @\(one.bestStep)"]
                    }
                    return [ReportFormat.meanStd(MeanStd(found.map(\.finalValue))), ReportFormat.meanStd(MeanStd(found.map(\.bestValue)))]
                }
        }
        let headers = ["metric"] + subjects.flatMap { ["\($0.label) final", "best"] }
        return ReportTable(
            title: "Final and best metrics",
            note: (["value @step; best is the minimum for losses, else the maximum."] + [groupNote(subjects)].compactMap { $0 }).joined(
                separator: " "),
            headers: headers, rows: rows, numeric: Set(1..<headers.count))
    }

    /// Exact and token accuracy if inference stopped after K steps.
    static func accuracyAtK(_ subjects: [ComparisonSubject]) -> ReportTable? {
        let maxK = subjects.flatMap { $0.runs.compactMap { $0.kStatistics?.maxK } }.max() ?? 0
        guard maxK > 0 else { return nil }
        let rows = (1...maxK).map { k -> [String] in
            [String(k)]
                + subjects.flatMap { subject -> [String] in
                    let entries = subject.runs.compactMap { $0.kStatistics?.accuracy.first { $0.k == k } }
                    return [ReportFormat.meanStd(MeanStd(entries.map(\.exactAccuracy))), ReportFormat.meanStd(MeanStd(entries.map(\.tokenAccuracy)))]
                }
        }
        let headers = ["K"] + subjects.flatMap { ["\($0.label) exact", "token"] }
        return ReportTable(
            title: "Accuracy at K",
            note: (["Accuracy if every test example stopped after exactly K ACT steps."] + [groupNote(subjects)].compactMap { $0 })
                .joined(separator: " "),
            headers: headers, rows: rows, numeric: Set(0..<headers.count))
    }

    /// What each halting rule achieves.
    static func halting(_ subjects: [ComparisonSubject]) -> ReportTable? {
        let rules = Set(subjects.flatMap { $0.runs.flatMap { $0.kStatistics?.halting.map(\.rule) ?? [] } }).sorted()
        guard !rules.isEmpty else { return nil }
        let measures: [(String, (KStatistics.Halting) -> Double, (Double) -> String)] = [
            ("exact acc", \.exactAccuracy, ReportFormat.number), ("token acc", \.tokenAccuracy, ReportFormat.number),
            ("mean K", \.meanK, ReportFormat.number), ("steps saved", \.savedFraction, ReportFormat.percent),
            ("never halted", { Double($0.neverHalted) }, ReportFormat.integer),
        ]
        var rows: [[String]] = []
        for rule in rules {
            for (name, value, format) in measures {
                rows.append(
                    [rule.label, name]
                        + subjects.map { subject in
                            ReportFormat.meanStd(MeanStd(subject.runs.compactMap { $0.kStatistics?.halting(rule) }.map(value)), format: format)
                        })
            }
            rows.append(
                [rule.label, "histogram"]
                    + subjects.map { subject in
                        let histograms = subject.runs.compactMap { $0.kStatistics?.halting(rule)?.histogram }
                        guard let length = histograms.map(\.count).max() else { return "-" }
                        return (0..<length).map { k in String(histograms.reduce(0) { $0 + (k < $1.count ? $1[k] : 0) }) }.joined(separator: " ")
                    })
        }
        return ReportTable(
            title: "Halting",
            note: "Each example stops at the first step its rule fires (K_max if never); histogram: examples stopping at K = 1, 2, …",
            headers: ["rule", "measure"] + subjects.map(\.label), rows: rows, numeric: Set(2..<(2 + subjects.count)))
    }

    /// How group cells read, when there is a group.
    static func groupNote(_ subjects: [ComparisonSubject]) -> String? {
        subjects.contains(where: \.isGroup) ? "Groups: mean ± sample standard deviation (n − 1) over their runs." : nil
    }

    /// Pooled examples of a subject's runs (for per-example statistics of groups).
    static func pooledExamples(_ subject: ComparisonSubject) -> [KStatistics.Example] {
        subject.runs.flatMap { $0.kStatistics?.examples ?? [] }
    }

    /// Optimal K, regressions and solved fraction over the examples.
    static func exampleProfile(_ subjects: [ComparisonSubject]) -> ReportTable? {
        let pooled = subjects.map(pooledExamples)
        guard pooled.contains(where: { !$0.isEmpty }) else { return nil }
        func fraction(_ examples: [KStatistics.Example], _ test: (KStatistics.Example) -> Bool) -> String {
            examples.isEmpty ? "-" : ReportFormat.percent(Double(examples.filter(test).count) / Double(examples.count))
        }
        let rows: [[String]] = [
            ["examples"] + pooled.map { String($0.count) },
            ["correct at K_max"] + pooled.map { fraction($0, \.correctAtMax) },
            ["ever correct"] + pooled.map { fraction($0, \.everCorrect) },
            ["regressed"] + pooled.map { fraction($0, \.regressed) },
            ["mean optimal K"] + pooled.map { ReportFormat.meanStd(MeanStd($0.compactMap(\.optimalK).map(Double.init))) },
            ["mean halting K (q>0)"] + pooled.map { ReportFormat.meanStd(MeanStd($0.compactMap(\.haltK).map(Double.init))) },
        ]
        return ReportTable(
            title: "Per-example K",
            note:
                "Optimal K: first step after which the answer is right through K_max. Regressed: right at some step, wrong later. ± is the spread over examples.",
            headers: [""] + subjects.map(\.label), rows: rows, numeric: Set(1...subjects.count))
    }

    /// Optimal and halting K by difficulty quantile.
    static func difficulty(_ subjects: [ComparisonSubject]) -> ReportTable? {
        let buckets = subjects.map { KStatistics.buckets(pooledExamples($0), count: KStatistics.defaultBucketCount) }
        let count = buckets.map(\.count).max() ?? 0
        guard count > 0 else { return nil }
        let rows = (0..<count).map { i -> [String] in
            ["Q\(i + 1)"]
                + buckets.map { list -> String in
                    guard i < list.count else { return "-" }
                    let b = list[i]
                    func k(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
                    return String(
                        format: "%g–%g (n=%d): solved %@, opt K %@, halt K %@", b.lower, b.upper, b.count,
                        ReportFormat.percent(b.solvedFraction), k(b.meanOptimalK), k(b.meanHaltK))
                }
        }
        return ReportTable(
            title: "K by difficulty", note: "Quantile buckets of the difficulty measure (lowest first).",
            headers: ["bucket"] + subjects.map(\.label), rows: rows)
    }
}

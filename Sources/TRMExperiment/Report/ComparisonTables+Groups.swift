import Foundation

extension ComparisonTables {
    /// Solved fraction and optimal K per group label (the ARC task of each test example), one
    /// row per label; nil when no example has one.
    static func groups(_ subjects: [ComparisonSubject]) -> ReportTable? {
        let groups = subjects.map { KStatistics.groups(pooledExamples($0)) }
        let labels = Set(groups.flatMap { $0.map(\.label) }).sorted()
        guard !labels.isEmpty else { return nil }
        let rows = labels.map { label -> [String] in
            [label]
                + groups.map { list -> String in
                    guard let group = list.first(where: { $0.label == label }) else { return "-" }
                    return "n=\(group.count): solved \(ReportFormat.percent(group.solvedFraction)), opt K "
                        + (group.meanOptimalK.map { String(format: "%.2f", $0) } ?? "-")
                }
        }
        return ReportTable(
            title: "K by task",
            note: "Test examples by ARC task (augmented copies count with their task): solved at K_max and mean optimal K of the solved.",
            headers: ["task"] + subjects.map(\.label), rows: rows)
    }
}

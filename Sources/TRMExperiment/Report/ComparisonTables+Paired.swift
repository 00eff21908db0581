import Foundation

extension ComparisonTables {
    /// Example by example, for single runs built on the same dataset (one digest, as runs with a
    /// shared `dataset.seed` are): how many test examples both, one or neither solve at K_max,
    /// against the first such run, with McNemar's exact test on the examples only one of the two
    /// solves. Nil unless two runs share a dataset and have per-example K statistics.
    static func paired(_ subjects: [ComparisonSubject]) -> ReportTable? {
        let runs: [(label: String, digest: String, solved: [Int: Bool])] = subjects.compactMap { subject in
            guard case .run(let summary) = subject, let digest = summary.run.dataset_digest,
                let examples = summary.kStatistics?.examples, !examples.isEmpty
            else { return nil }
            return (subject.label, digest, Dictionary(examples.map { ($0.index, $0.correctAtMax) }) { first, _ in first })
        }
        guard let base = runs.first else { return nil }
        let others = runs.dropFirst().filter { $0.digest == base.digest }
        guard !others.isEmpty else { return nil }
        let agreements = others.map { Agreement(base.solved, $0.solved) }
        let rows: [[String]] = [
            ["both solved"] + agreements.map { $0.share($0.both) },
            ["only \(base.label)"] + agreements.map { $0.share($0.onlyFirst) },
            ["only this run"] + agreements.map { $0.share($0.onlySecond) },
            ["neither"] + agreements.map { $0.share($0.neither) },
            ["either"] + agreements.map { $0.share($0.both + $0.onlyFirst + $0.onlySecond) },
            ["McNemar p"] + agreements.map { String(format: "%.3g", mcNemarP($0.onlyFirst, $0.onlySecond)) },
        ]
        return ReportTable(
            title: "Example by example",
            note: "Test examples solved at K_max, beside \(base.label); these runs share their dataset, so they were tested on the same "
                + "examples. McNemar p: the chance of a split at least this uneven of the examples only one run solves if both runs "
                + "were equally good (exact, two-sided).",
            headers: [""] + others.map(\.label), rows: rows)
    }

    /// McNemar's exact two-sided p-value for `b` and `c` discordant pairs: twice the binomial
    /// (n = b + c, ½) tail at min(b, c), at most 1. Each term is formed in logs, as 2^−n underflows past n ≈ 1,075.
    static func mcNemarP(_ b: Int, _ c: Int) -> Double {
        let n = b + c
        guard n > 0 else { return 1 }
        var logTerm = Double(n) * log(0.5)  // log C(n, 0) / 2^n
        var tail = exp(logTerm)
        for i in 0..<min(b, c) {
            logTerm += log(Double(n - i)) - log(Double(i + 1))
            tail += exp(logTerm)
        }
        return min(1, 2 * tail)
    }
}

/// How two runs' per-example results overlap on the examples both evaluated.
private struct Agreement {
    var both = 0, onlyFirst = 0, onlySecond = 0, neither = 0

    init(_ first: [Int: Bool], _ second: [Int: Bool]) {
        for (index, firstSolved) in first {
            guard let secondSolved = second[index] else { continue }
            switch (firstSolved, secondSolved) {
            case (true, true): both += 1
            case (true, false): onlyFirst += 1
            case (false, true): onlySecond += 1
            case (false, false): neither += 1
            }
        }
    }

    /// `count` with its share of the examples both runs evaluated.
    func share(_ count: Int) -> String {
        "\(count) (\(ReportFormat.percent(Double(count) / Double(max(1, both + onlyFirst + onlySecond + neither)))))"
    }
}

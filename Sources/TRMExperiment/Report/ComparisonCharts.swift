/// The plots of a comparison report.
public enum ComparisonCharts {
    /// Loss and exact accuracy against step (one line per run), exact accuracy against K (one
    /// line per column, group means), in that order; charts without data are left out.
    public static func lineCharts(_ comparison: RunComparison) -> [LineChart] {
        let runs = comparison.subjects.flatMap { subject -> [(label: String, run: RunSummary)] in
            switch subject {
            case .run(let summary): return [(subject.label, summary)]
            case .group(let name, let members): return members.map { ("\(name)/\($0.run.name) (\($0.run.id.prefix(6)))", $0) }
            }
        }
        func curve(_ metric: (split: String, key: String)) -> [ChartSeries] {
            runs.map { ChartSeries(label: $0.label, points: $0.run.series(metric.split, metric.key).map { (Double($0.step), $0.value) }) }
                .filter { !$0.points.isEmpty }
        }
        let accuracyAtK = comparison.subjects.compactMap { subject -> ChartSeries? in
            let stats = subject.runs.compactMap(\.kStatistics)
            guard let maxK = stats.map(\.maxK).max(), maxK > 0 else { return nil }
            let points = (1...maxK).compactMap { k -> (x: Double, y: Double)? in
                MeanStd(stats.compactMap { $0.accuracy.first { $0.k == k }?.exactAccuracy }).map { (Double(k), $0.mean) }
            }
            return ChartSeries(label: subject.label, points: points)
        }
        let charts = [
            LineChart(title: "Training loss", xLabel: "step", yLabel: ReportMetrics.loss.key, series: curve(ReportMetrics.loss)),
            LineChart(
                title: "Test exact accuracy", xLabel: "step", yLabel: "exact accuracy", series: curve(ReportMetrics.exactAccuracy), yRange: 0...1),
            LineChart(title: "Exact accuracy at K", xLabel: "ACT steps K", yLabel: "exact accuracy", series: accuracyAtK, yRange: 0...1),
        ]
        return charts.filter { !$0.series.isEmpty }
    }

    /// Where the model's own rule (q_halt > 0) halts the examples, one histogram per column
    /// (groups summed).
    public static func haltingHistograms(_ comparison: RunComparison) -> [BarChart] {
        comparison.subjects.enumerated().compactMap { index, subject in
            let histograms = subject.runs.compactMap { $0.kStatistics?.halting(.positiveLogit)?.histogram }
            guard let length = histograms.map(\.count).max(), length > 0 else { return nil }
            let counts = (0..<length).map { k in histograms.reduce(0) { $0 + (k < $1.count ? $1[k] : 0) } }
            return BarChart(
                title: "Halting step (q>0): \(subject.label)", xLabel: "K", categories: (1...length).map(String.init),
                counts: counts, color: ChartPalette.color(index))
        }
    }
}

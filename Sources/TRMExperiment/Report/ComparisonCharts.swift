/// The plots of a comparison report.
public enum ComparisonCharts {
    /// Loss and exact accuracy against step, exact accuracy against K, in that order: one line
    /// per column; a group's line is the mean over its runs, shaded from the lowest to the highest
    /// run (`ChartSeries.spread`). Charts without data are left out.
    public static func lineCharts(_ comparison: RunComparison) -> [LineChart] {
        func chart(
            _ title: String, _ xLabel: String, _ yLabel: String, yRange: ClosedRange<Double>? = nil, curve: (RunSummary) -> [(x: Double, y: Double)]
        )
            -> LineChart
        {
            let series = comparison.subjects.map { subject in
                subject.isGroup
                    ? ChartSeries.spread(label: subject.label, members: subject.runs.map(curve))
                    : ChartSeries(label: subject.label, points: subject.runs.flatMap(curve))
            }
            return LineChart(title: title, xLabel: xLabel, yLabel: yLabel, series: series.filter { !$0.points.isEmpty }, yRange: yRange)
        }
        func steps(_ metric: (split: String, key: String)) -> (RunSummary) -> [(x: Double, y: Double)] {
            { run in run.series(metric.split, metric.key).map { (Double($0.step), $0.value) } }
        }
        let charts = [
            chart("Training loss", "step", ReportMetrics.loss.key, curve: steps(ReportMetrics.loss)),
            chart("Test exact accuracy", "step", "exact accuracy", yRange: 0...1, curve: steps(ReportMetrics.exactAccuracy)),
            chart("Exact accuracy at K", "ACT steps K", "exact accuracy", yRange: 0...1) { run in
                run.kStatistics?.accuracy.map { (Double($0.k), $0.exactAccuracy) } ?? []
            },
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

import Foundation
import TRMModel
import Testing

@testable import TRMExperiment

/// A store with runs "fast" (lr 3e-4) and "slow" (lr 1e-4), and a group "seeds" of three runs.
private struct SyntheticStore {
    let directory: TemporaryDirectory
    let store: RunStore
    let fast: RunRecord
    let slow: RunRecord
    let seeds: [RunRecord]

    init() throws {
        directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        self.store = store
        let start = Date(timeIntervalSince1970: 1_000_000)
        func make(_ name: String, _ overrides: [String], loss: (Int) -> Double, exact: [Double], k: [Bool], seconds: Double) throws -> RunRecord {
            let model = ["model.seq_len=81", "model.vocab_size=11"]
            let run = try store.createRun(for: try experiment(name, overrides: overrides + model), startedAt: start)
            var points = (1...10).map { MetricPoint(step: $0 * 10, split: "train", key: "loss", value: loss($0), time: start + Double($0)) }
            points += exact.enumerated().map {
                MetricPoint(step: ($0.offset + 1) * 50, split: "test", key: "exact_accuracy", value: $0.element, time: start + 60)
            }
            points.append(MetricPoint(step: 100, split: "train", key: "examples_per_second", value: 250, time: start + 60))
            try store.logMetrics(run: run.id, points)
            try store.updateStatus(run: run.id, .finished, stepsDone: 100, at: start + seconds)
            // Three examples over K = 1…3; the pattern decides exactness, q_halt fires with it.
            let traces = (0..<3).map { i in
                KTrace(
                    exact: k.indices.map { k[$0] && ($0 >= i) }, tokenAccuracy: k.indices.map { k[$0] && ($0 >= i) ? 1 : 0.5 },
                    qHalt: k.indices.map { k[$0] && ($0 >= i) ? 1 : -1 }, difficulty: Double(i))
            }
            try store.recordKStatistics(run: run.id, evalStep: 100, KStatistics.compute(traces, thresholds: [0.9]))
            return run
        }
        fast = try make("fast", ["training.lr=0.0003"], loss: { 1 / Double($0) }, exact: [0.7, 0.6], k: [true, true, true], seconds: 120)
        slow = try make("slow", ["training.lr=0.0001"], loss: { 2 / Double($0) }, exact: [0.1, 0.5], k: [false, true, true], seconds: 240)
        seeds = try [1, 2, 3].map { seed in
            try make(
                "seed\(seed)", ["group=seeds", "seed=\(seed)"], loss: { Double(seed) / Double($0) }, exact: [0.1, 0.1 * Double(seed)],
                k: [true, true, true], seconds: 60)
        }
    }
}

/// The `points` of every polyline of an SVG/HTML text, by `data-label`.
private func polylines(_ text: String) -> [(label: String, points: [(x: Double, y: Double)])] {
    text.matches(of: /<polyline class="series" data-label="([^"]*)" points="([^"]*)"/).map { match in
        (
            String(match.1),
            match.2.split(separator: " ").map { pair in
                let xy = pair.split(separator: ",").map { Double($0)! }
                return (xy[0], xy[1])
            }
        )
    }
}

@Suite struct ComparisonReportTests {
    @Test func tablesShowDiffMetricsAndKSideBySide() throws {
        let data = try SyntheticStore()
        let comparison = try RunComparison(references: ["fast", String(data.slow.id.prefix(8))], store: data.store)
        let tables = ComparisonTables.build(comparison)
        #expect(
            tables.map(\.title) == [
                "Runs", "Config differences", "Final and best metrics", "Accuracy at K", "Halting", "Per-example K", "K by difficulty",
            ])
        let fast = comparison.subjects[0].label, slow = comparison.subjects[1].label

        let diff = tables[1]
        #expect(diff.rows.map { $0[0] } == ["name", "training.lr"])
        #expect(diff.cell(row: "training.lr", column: fast) == "0.0003" && diff.cell(row: "training.lr", column: slow) == "0.0001")

        let metrics = tables[2]
        // Best loss is the minimum; best exact accuracy the maximum, with the step it was reached.
        #expect(metrics.rows.first { $0[0] == "train/loss" } == ["train/loss", "0.1000 @100", "0.1000 @100", "0.2000 @100", "0.2000 @100"])
        #expect(
            metrics.rows.first { $0[0] == "test/exact_accuracy" } == [
                "test/exact_accuracy", "0.6000 @100", "0.7000 @50", "0.5000 @100", "0.5000 @100",
            ])

        let accuracy = tables[3]
        // Example i is right from step i + 1 on; slow is also wrong everywhere at K = 1.
        #expect(accuracy.rows.map { $0[1] } == ["0.3333", "0.6667", "1.0000"])
        #expect(accuracy.rows.map { $0[3] } == ["0.0000", "0.6667", "1.0000"])
        #expect(accuracy.rows.last?[4] == "1.0000")

        let halting = tables[4]
        #expect(halting.rows.first { $0[0] == "q>0" && $0[1] == "mean K" }?[2...] == ["2.0000", "2.3333"])
        #expect(halting.rows.first { $0[0] == "q>0" && $0[1] == "histogram" }?[2...] == ["1 1 1", "0 2 1"])

        let overview = tables[0]
        // No run logged a count, so it comes from the model config, unless a param says otherwise.
        #expect(overview.cell(row: "parameters", column: fast) == String(ParameterLayout(config: TRMConfig(seq_len: 81, vocab_size: 11)).count))
        try data.store.setParams(run: data.slow.id, [ReportMetrics.parameterCountKey: "1234"])
        #expect(try RunSummary(run: data.slow, store: data.store).parameterCount == 1234)
        #expect(overview.cell(row: "wall time", column: fast) == "2m 00s" && overview.cell(row: "wall time", column: slow) == "4m 00s")
        #expect(overview.cell(row: "examples/s", column: fast) == "250.0")
        #expect(overview.cell(row: "steps", column: slow) == "100")

        let text = ComparisonReport.text(comparison)
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("training.lr") && $0.contains("0.0003") && $0.contains("0.0001") })
        let markdown = ComparisonReport.markdown(comparison)
        #expect(markdown.contains("| K | \(fast) exact | token | \(slow) exact | token |"))
        #expect(markdown.split(separator: "\n").filter { $0.hasPrefix("| training.lr |") }.count == 1)
    }

    @Test func groupsShowMeanAndStandardDeviation() throws {
        let data = try SyntheticStore()
        let comparison = try RunComparison(references: ["group:seeds", "fast"], store: data.store)
        #expect(comparison.subjects[0].runs.count == 3)
        let tables = ComparisonTables.build(comparison)
        let group = comparison.subjects[0].label
        #expect(group == "group seeds (3 runs)")
        // Final losses 0.1, 0.2, 0.3: mean 0.2, sample sd 0.1.
        #expect(tables[2].cell(row: "train/loss", column: "\(group) final") == "0.2000 ± 0.1000")
        #expect(tables[2].cell(row: "test/exact_accuracy", column: "best") == "0.2000 ± 0.1000")
        // Seeds in the order of the id row (the runs started at the same time, so their order is the ids').
        let ids = try #require(tables[0].cell(row: "id", column: group)).split(separator: " ").map(String.init)
        let seedByID = Dictionary(uniqueKeysWithValues: data.seeds.map { ($0.id, String($0.seed)) })
        #expect(tables[0].cell(row: "seed", column: group) == ids.map { seedByID[$0]! }.joined(separator: " "))
        #expect(tables[0].cell(row: "examples/s", column: group) == "250.0 ± 0.0")
        #expect(tables[0].note == "Groups: mean ± sample standard deviation (n − 1) over their runs.")
        // Seeds differ inside the group only.
        #expect(tables[1].cell(row: "seed", column: group) == "varies: 1 | 2 | 3")
        #expect(tables[1].cell(row: "group", column: group) == "\"seeds\"")
        // A bare group name works too; an unknown one lists the groups.
        #expect(try RunComparison(references: ["seeds"], store: data.store).subjects[0].isGroup)
        let error = #expect(throws: ReportError.self) { try RunComparison(references: ["group:nope"], store: data.store) }
        #expect(error?.description.contains("groups: seeds") == true)
        #expect(throws: RunStoreError.self) { try RunComparison(references: ["nothing"], store: data.store) }
        #expect(try RunComparison(references: ["seeds"], store: data.store).notes.isEmpty)
        // A run that shares the group's name is what the bare name means; a note points at the group.
        let namesake = try data.store.createRun(for: try experiment("seeds"))
        let ambiguous = try RunComparison(references: ["seeds"], store: data.store)
        #expect(ambiguous.subjects[0].runs.map(\.run.id) == [namesake.id])
        #expect(ambiguous.notes == ["\"seeds\" names a run and a group; showing run \(namesake.id), `group:seeds` shows the group"])
    }

    @Test func runsOnOneDatasetAreComparedExampleByExample() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        // Twelve test examples at K = 1: which ones each run solves.
        func run(_ name: String, digest: String, solves: (Int) -> Bool) throws {
            let record = try store.createRun(for: try experiment(name), datasetDigest: digest)
            let traces = (0..<12).map { KTrace(exact: [solves($0)], tokenAccuracy: [1], qHalt: [0]) }
            try store.recordKStatistics(run: record.id, evalStep: 10, KStatistics.compute(traces, thresholds: []))
        }
        try run("base", digest: "same") { $0 < 3 }
        try run("better", digest: "same") { $0 >= 1 }
        try run("alike", digest: "same") { $0 >= 9 }
        try run("elsewhere", digest: "other") { _ in true }
        let comparison = try RunComparison(references: ["base", "better", "alike", "elsewhere"], store: store)
        let table = try #require(ComparisonTables.build(comparison).first { $0.title == "Example by example" })
        let labels = comparison.subjects.map(\.label)
        // Only runs on the base's dataset get a column.
        #expect(table.headers == ["", labels[1], labels[2]])
        #expect(table.rows.map { $0[0] } == ["both solved", "only \(labels[0])", "only this run", "neither", "either", "McNemar p"])
        #expect(table.rows.map { $0[1] } == ["2 (16.7%)", "1 (8.3%)", "9 (75.0%)", "0 (0.0%)", "12 (100.0%)", "0.0215"])
        // 3 against 3 discordant examples: no evidence either way.
        #expect(table.cell(row: "McNemar p", column: labels[2]) == "1")
        // Runs on different datasets are not paired.
        let apart = try RunComparison(references: ["base", "elsewhere"], store: store)
        #expect(!ComparisonTables.build(apart).contains { $0.title == "Example by example" })
    }

    @Test func mcNemarPIsTheTwoSidedBinomialTail() {
        // n = 10 discordant, split 10/0: 2 × 0.5^10.
        #expect(abs(ComparisonTables.mcNemarP(10, 0) - 2.0 / 1024) < 1e-12)
        // Split 7/3: 2 × (1 + 10 + 45 + 120) / 1024.
        #expect(abs(ComparisonTables.mcNemarP(3, 7) - 2.0 * 176 / 1024) < 1e-12)
        #expect(ComparisonTables.mcNemarP(0, 0) == 1 && ComparisonTables.mcNemarP(5, 5) == 1)
        // Past n ≈ 1,075 the first term alone underflows; the tail must not.
        #expect(abs(ComparisonTables.mcNemarP(1000, 1100) - 0.030_720_7) < 1e-6)
    }

    @Test func htmlIsSelfContainedAndItsPlotsCarryTheData() throws {
        let data = try SyntheticStore()
        let comparison = try RunComparison(references: ["fast", "slow"], store: data.store)
        let html = ComparisonReport.html(comparison)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<style>"))
        for external in ["src=", "href=", "<link", "<script", "url("] { #expect(!html.contains(external), "\(external)") }

        let charts = ComparisonCharts.lineCharts(comparison)
        #expect(charts.map(\.title) == ["Training loss", "Test exact accuracy", "Exact accuracy at K"])
        let lines = polylines(html)
        #expect(lines.count == 6)
        // Map the loss polylines' pixels back to data and compare with the stored metrics.
        let loss = charts[0]
        for (index, run) in [data.fast, data.slow].enumerated() {
            let line = lines[index]
            #expect(line.label == comparison.subjects[index].label)
            let stored = try data.store.metrics(run: run.id, split: "train", key: "loss")
            #expect(line.points.count == stored.count)
            for (point, metric) in zip(line.points, stored) {
                let expected = loss.pixel(x: Double(metric.step), y: metric.value)
                #expect(abs(point.x - expected.x) < 0.01 && abs(point.y - expected.y) < 0.01)
            }
        }
        // Higher loss is drawn lower-down: slow's first point sits below fast's.
        #expect(lines[1].points[0].y < lines[0].points[0].y)
        // Accuracy at K: three points each, on the 0…1 axis.
        let accuracy = charts[2]
        #expect(lines[4].points.count == 3 && lines[5].points.count == 3)
        #expect(abs(lines[5].points[0].y - accuracy.pixel(x: 1, y: 0).y) < 0.01)
        #expect(abs(lines[5].points[2].y - accuracy.pixel(x: 3, y: 1).y) < 0.01)
        // One histogram per run, one bar per K with its count.
        let bars = html.matches(of: /<rect class="bar"[^>]*><title>K (\d+): (\d+)<\/title>/).map { (Int($0.1)!, Int($0.2)!) }
        #expect(bars.map(\.0) == [1, 2, 3, 1, 2, 3])
        #expect(bars.map(\.1) == [1, 1, 1, 0, 2, 1])
        // Every table made it in.
        #expect(html.components(separatedBy: "<table>").count - 1 == ComparisonTables.build(comparison).count)
    }

    @Test func groupCurvesPlotTheMeanOverABandFromTheLowestToTheHighestRun() throws {
        let data = try SyntheticStore()
        let comparison = try RunComparison(references: ["group:seeds", "fast"], store: data.store)
        let html = ComparisonReport.html(comparison)
        #expect(html.contains("the shaded band spans the lowest to the highest run"))
        let charts = ComparisonCharts.lineCharts(comparison)
        let group = comparison.subjects[0].label
        // The group is one line per chart, not one per run.
        #expect(charts.allSatisfy { $0.series.map(\.label) == [group, comparison.subjects[1].label] })

        // Test exact accuracy of seeds 1, 2, 3: 0.1 each at step 50; 0.1, 0.2, 0.3 at step 100.
        let accuracy = charts[1], drawn = accuracy.series[0]
        #expect(drawn.points.map(\.x) == [50, 100])
        #expect(abs(drawn.points[1].y - 0.2) < 1e-12)
        #expect(drawn.band.map(\.low) == [0.1, 0.1] && drawn.band.map(\.high) == [0.1, 0.30000000000000004])
        #expect(accuracy.series[1].band.isEmpty)

        // In the page: the loss band's outline runs along the highest run, then back along the lowest.
        let loss = charts[0]
        let bands = html.matches(of: /<polygon class="band" data-label="([^"]*)" points="([^"]*)"/).map { match in
            (String(match.1), match.2.split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } })
        }
        #expect(bands.count == 3 && bands.allSatisfy { $0.0 == group })
        let outline = bands[0].1
        let steps = (1...10).map { Double($0 * 10) }
        let expected = steps.map { loss.pixel(x: $0, y: 3 / ($0 / 10)) } + steps.reversed().map { loss.pixel(x: $0, y: 1 / ($0 / 10)) }
        #expect(outline.count == expected.count)
        for (point, pixel) in zip(outline, expected) { #expect(abs(point[0] - pixel.x) < 0.01 && abs(point[1] - pixel.y) < 0.01) }
        // The mean line (losses 1, 2, 3 over the step) sits inside it.
        let mean = try #require(polylines(html).first { $0.label == group })
        #expect(zip(mean.points, steps).allSatisfy { abs($0.y - loss.pixel(x: $1, y: 2 / ($1 / 10)).y) < 0.01 })
    }

    @Test func svgWriterEscapesAndTicksAreRound() {
        var svg = SVGWriter(width: 10, height: 10)
        svg.text("a<b & \"c\"", 1, 2)
        #expect(svg.svg.contains("a&lt;b &amp; &quot;c&quot;"))
        #expect(Ticks.values(0...1) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(Ticks.values(3...97) == [20, 40, 60, 80])
        #expect(MeanStd([1, 2, 3]) == MeanStd(mean: 2, std: 1, count: 3))
    }
}

extension MeanStd {
    init(mean: Double, std: Double, count: Int) {
        self = MeanStd([0])!
        self.mean = mean
        self.std = std
        self.count = count
    }
}

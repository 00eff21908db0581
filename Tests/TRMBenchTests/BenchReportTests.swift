import Testing

@testable import trm_bench

/// `trm-bench --report a.json --report b.json …` prints, row by row, the run with the median rate.
@Suite struct BenchReportTests {
    private func measurement(_ config: String, batch: Int, rate: Double, rss: Int) -> Measurement {
        Measurement(
            config: config, kind: "train", batch: batch, examplesPerSecond: rate, secondsPerStep: Double(batch) / rate, flopsPerStep: 1e9,
            gflops: rate, peakRSSBytes: rss, samples: 3, sgemmCeilingGFLOPS: 100 + rate)
    }

    private func report(_ rows: [(String, Int, Double, Int)]) -> BenchReport {
        BenchReport(measurements: rows.map { measurement($0.0, batch: $0.1, rate: $0.2, rss: $0.3) }, threads: 2, shards: 2, blas: "test")
    }

    @Test func medianKeepsTheWholeMiddleRunOfEachRow() {
        let runs = [
            report([("a", 16, 1.0, 10), ("b", 4, 7.0, 70)]),
            report([("a", 16, 3.0, 30), ("b", 4, 5.0, 50)]),
            report([("a", 16, 2.0, 20), ("b", 4, 6.0, 60)]),
        ]
        let merged = BenchReport.median(of: runs)
        #expect(merged.measurements.map(\.config) == ["a", "b"])
        #expect(merged.measurements.map(\.examplesPerSecond) == [2.0, 6.0])
        // The memory and ceiling come from the same run as the rate, not from separate medians.
        #expect(merged.measurements.map(\.peakRSSBytes) == [20, 60])
        #expect(merged.measurements.map(\.sgemmCeilingGFLOPS) == [102, 106])
        #expect(merged.source == "median of 3 runs")
    }

    @Test func anEvenCountTakesTheLowerMiddleAndOneReportIsItself() {
        let runs = [report([("a", 1, 4.0, 1)]), report([("a", 1, 1.0, 1)]), report([("a", 1, 3.0, 1)]), report([("a", 1, 2.0, 1)])]
        #expect(BenchReport.median(of: runs).measurements.map(\.examplesPerSecond) == [2.0])
        let single = BenchReport.median(of: [runs[0]])
        #expect(single.measurements.map(\.examplesPerSecond) == [4.0])
        #expect(single.source == nil)
    }
}

import ArgumentParser
import Foundation

/// All measurements of one `trm-bench` run, with the machine facts they depend on. The JSON form
/// (`--json`) is also the baseline format read by `--compare`.
struct BenchReport: Codable {
    var measurements: [Measurement]
    var checkpoints: [OtherBenches.CheckpointMeasurement]?
    var datasets: [OtherBenches.DatasetMeasurement]?
    var threads: Int
    /// Slices of the training batch trained in parallel (nil in files written before shards existed: 1).
    var shards: Int?
    var blas: String
    var cores = ProcessInfo.processInfo.activeProcessorCount
    var date = ISO8601DateFormatter().string(from: Date())
    /// Free text saying where the numbers come from (set in baseline files).
    var source: String?

    init(measurements: [Measurement], threads: Int, shards: Int, blas: String) {
        self.measurements = measurements
        self.threads = threads
        self.shards = shards
        self.blas = blas
    }

    /// Reads a report written with `--json` (a results or baseline file), naming the file on error.
    static func read(_ path: String) throws -> BenchReport {
        do {
            return try JSONDecoder().decode(BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ValidationError("cannot read \(path) as a trm-bench --json report: \(error.localizedDescription)")
        }
    }

    /// Row by row, the median run of several reports: for each (config, kind, batch) the
    /// measurement with the median rate (the lower middle one of an even count), kept whole so its
    /// time, FLOP rate, ceiling and memory belong together. Rows come in the first report's order;
    /// checkpoints and datasets come from the first report that has them.
    static func median(of reports: [BenchReport]) -> BenchReport {
        guard var merged = reports.first else { preconditionFailure("no report") }
        func key(_ m: Measurement) -> String { "\(m.config)/\(m.kind)/\(m.batch)" }
        var order: [String] = []
        var runs: [String: [Measurement]] = [:]
        for m in reports.flatMap(\.measurements) {
            if runs[key(m)] == nil { order.append(key(m)) }
            runs[key(m), default: []].append(m)
        }
        merged.measurements = order.map { key in
            let sorted = runs[key]!.sorted { $0.examplesPerSecond < $1.examplesPerSecond }
            return sorted[(sorted.count - 1) / 2]
        }
        merged.checkpoints = reports.lazy.compactMap(\.checkpoints).first
        merged.datasets = reports.lazy.compactMap(\.datasets).first
        if reports.count > 1 {
            merged.date = reports.map(\.date).sorted().joined(separator: ", ")
            merged.source = "median of \(reports.count) runs"
        }
        return merged
    }

    private static func what(_ m: Measurement) -> String {
        m.kind == "train" ? "training step" : m.batch == 1 ? "inference latency" : "inference batch"
    }

    private static func rate(_ m: Measurement) -> String {
        m.kind == "train"
            ? String(format: "%.2f examples/s", m.examplesPerSecond)
            : m.batch == 1 ? String(format: "%.3f s/puzzle", m.secondsPerStep) : String(format: "%.2f puzzles/s", m.examplesPerSecond)
    }

    /// Ratio "how many times better" than the baseline for this kind of measurement.
    private static func speedup(_ ours: Measurement, _ theirs: Measurement) -> Double {
        ours.batch == 1 && ours.kind != "train" ? theirs.secondsPerStep / ours.secondsPerStep : ours.examplesPerSecond / theirs.examplesPerSecond
    }

    /// One row per measurement; with a baseline, its figures and the ratios beside ours.
    func table(baseline: BenchReport? = nil) -> String {
        var header = ["config", "measurement", "batch", "rate", "GFLOP/step", "GFLOP/s", "sgemm GFLOP/s", "peak RSS"]
        if baseline != nil { header += ["baseline", "speed-up", "RSS ratio"] }
        var rows = [header]
        for m in measurements {
            var row = [
                m.config, Self.what(m), "\(m.batch)", Self.rate(m), String(format: "%.1f", m.flopsPerStep / 1e9), String(format: "%.1f", m.gflops),
                m.sgemmCeilingGFLOPS.map { String(format: "%.0f (%.0f%%)", $0, 100 * m.gflops / $0) } ?? "",
                String(format: "%.2f GiB", Double(m.peakRSSBytes) / 1_073_741_824),
            ]
            if let baseline {
                if let theirs = baseline.measurements.first(where: { $0.config == m.config && $0.kind == m.kind && $0.batch == m.batch }) {
                    row += [
                        Self.rate(theirs), String(format: "%.2f×", Self.speedup(m, theirs)),
                        theirs.peakRSSBytes > 0 ? String(format: "%.2f", Double(m.peakRSSBytes) / Double(theirs.peakRSSBytes)) : "",
                    ]
                } else {
                    row += ["", "", ""]
                }
            }
            rows.append(row)
        }
        var lines = [
            "threads \(threads) of \(cores) cores · training batch in \(shards ?? 1) shard\((shards ?? 1) == 1 ? "" : "s") · \(blas) · \(date)"
                + (source.map { " · \($0)" } ?? "")
        ]
        if let baseline { lines.append("baseline: \(baseline.source ?? baseline.date)") }
        lines += Self.align(rows, leftColumns: 2)
        if let checkpoints, !checkpoints.isEmpty {
            lines.append("")
            var table = [["checkpoint", "parameters", "raw weights", "payload", "file (gzip)", "file / raw", "write", "read"]]
            for c in checkpoints {
                table.append([
                    c.config, "\(c.parameters)", Self.bytes(c.rawWeightBytes), Self.bytes(c.payloadBytes), Self.bytes(c.fileBytes),
                    String(format: "%.2f", Double(c.fileBytes) / Double(c.rawWeightBytes)), String(format: "%.3f s", c.writeSeconds),
                    String(format: "%.3f s", c.readSeconds),
                ])
            }
            lines += Self.align(table, leftColumns: 1)
        }
        if let datasets, !datasets.isEmpty {
            lines.append("")
            lines += Self.align(
                [["dataset work", "rate"]] + datasets.map { [$0.name, String(format: "%.0f %@", $0.value, $0.unit)] }, leftColumns: 1)
        }
        return lines.joined(separator: "\n")
    }

    private static func bytes(_ count: Int) -> String { String(format: "%.1f MB", Double(count) / 1e6) }

    private static func align(_ rows: [[String]], leftColumns: Int) -> [String] {
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max()! }
        return rows.map { row in
            zip(row, widths).enumerated().map { index, cell in
                index < leftColumns
                    ? cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0) : String(repeating: " ", count: cell.1 - cell.0.count) + cell.0
            }.joined(separator: "  ")
        }
    }
}

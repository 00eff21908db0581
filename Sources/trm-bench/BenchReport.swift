import Foundation

/// All measurements of one `trm-bench` run, with the machine facts they depend on.
struct BenchReport: Codable {
    var measurements: [Measurement]
    var threads: Int
    var blas: String
    var cores = ProcessInfo.processInfo.activeProcessorCount
    var date = ISO8601DateFormatter().string(from: Date())

    init(measurements: [Measurement], threads: Int, blas: String) {
        self.measurements = measurements
        self.threads = threads
        self.blas = blas
    }

    /// One row per config: training rows, then single-puzzle latency and batch throughput.
    func table() -> String {
        var rows: [[String]] = [["config", "measurement", "batch", "rate", "time", "GFLOP/step", "GFLOP/s", "peak RSS"]]
        for m in measurements {
            let what: String
            let rate: String
            if m.kind == "train" {
                what = "training step"
                rate = String(format: "%.2f examples/s", m.examplesPerSecond)
            } else if m.batch == 1 {
                what = "inference latency"
                rate = String(format: "%.3f s/puzzle", m.secondsPerStep)
            } else {
                what = "inference batch"
                rate = String(format: "%.2f puzzles/s", m.examplesPerSecond)
            }
            rows.append([
                m.config, what, "\(m.batch)", rate, String(format: "%.3f s", m.secondsPerStep), String(format: "%.1f", m.flopsPerStep / 1e9),
                String(format: "%.1f", m.gflops), String(format: "%.2f GiB", Double(m.peakRSSBytes) / 1_073_741_824),
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max()! }
        let lines = rows.map { row in
            zip(row, widths).enumerated().map { index, cell in
                index < 2 ? cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0) : String(repeating: " ", count: cell.1 - cell.0.count) + cell.0
            }.joined(separator: "  ")
        }
        return (["threads \(threads) of \(cores) cores · \(blas) · \(date)"] + lines).joined(separator: "\n")
    }
}

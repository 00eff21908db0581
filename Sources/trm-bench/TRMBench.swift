import ArgumentParser
import Foundation
import TRMCore
import TRMModel

struct TRMBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trm-bench",
        abstract: "Measure trm-exp's engine: training and inference speed, FLOP rate and peak memory per named config.",
        discussion: """
            Each measurement runs in its own process so that its peak resident memory is its own.
            Training = one ACT step (forward, stablemax loss, backward, Adam-atan2 step) at the given batch;
            inference = a full solve at K = halt_max_steps, for one puzzle (latency) and for a batch (throughput).
            Times are medians over at least --min-samples repeats and --min-seconds of work.
            """)

    @Option(
        name: .customLong("only"), help: "Measure only these configs (repeatable). Known: \(BenchConfig.all.map(\.name).joined(separator: ", ")).")
    var only: [String] = []

    @Flag(help: "Print the results as JSON (one object with a `measurements` list) instead of a table.")
    var json = false

    @Option(help: "Threads for BLAS (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        help:
            "Slices of the training batch, each trained on its own thread (default: the thread count, as `trm-exp run` does; 1 threads each product instead)."
    )
    var shards: Int?

    @Option(help: "Minimum repeats per measurement.")
    var minSamples: Int = 3

    @Option(help: "Minimum seconds of timed work per measurement.")
    var minSeconds: Double = 5

    @Option(help: "A baseline in the --json format (e.g. bench/pytorch-baseline.json): print its figures and the ratios beside ours.")
    var compare: String?

    @Option(
        help: ArgumentHelp(
            "Measure nothing: print the table of results files written with --json (e.g. bench/results-2026-11-27-1.json); repeat it to print, row by row, the median of several runs. Combines with --compare.",
            valueName: "results.json"))
    var report: [String] = []

    @Flag(help: "Skip the model measurements (dataset and checkpoint numbers only).")
    var skipModels = false

    @Flag(help: "Measure training steps only (skip the inference measurements), e.g. to compare --shards settings.")
    var trainingOnly = false

    @Flag(help: "Skip the dataset throughput numbers (they read the sample files under TRM_DATASETS_DIR).")
    var skipDatasets = false

    @Flag(help: "Skip the checkpoint size and time numbers.")
    var skipCheckpoints = false

    @Option(help: .hidden) var child: String?

    /// Child only: skip the sgemm ceiling, so that a profile of the child holds the model's work alone.
    @Flag(help: .hidden) var noCeiling = false

    func validate() throws {
        let known = Set(BenchConfig.all.map(\.name))
        if let unknown = only.first(where: { !known.contains($0) }) {
            throw ValidationError("unknown config '\(unknown)'; known: \(known.sorted().joined(separator: ", "))")
        }
    }

    func run() throws {
        BLAS.setThreads(threads)
        if let child {
            // "<config>/<train|infer>/<batch>": measure and print one JSON line.
            let parts = child.split(separator: "/").map(String.init)
            guard parts.count == 3, let bench = BenchConfig.all.first(where: { $0.name == parts[0] }), ["train", "infer"].contains(parts[1]),
                let batch = Int(parts[2])
            else {
                throw ValidationError("bad child spec '\(child)': expected <config>/<train|infer>/<batch> with a known config")
            }
            let result =
                parts[1] == "train"
                ? ModelBench.train(
                    bench, batch: batch, shards: shards ?? threads, minSeconds: minSeconds, minSamples: minSamples, ceiling: !noCeiling)
                : ModelBench.infer(bench, batch: batch, minSeconds: minSeconds, minSamples: minSamples, ceiling: !noCeiling)
            print(String(data: try JSONEncoder().encode(result), encoding: .utf8)!)
            return
        }
        let baseline = try compare.map(BenchReport.read)
        if !report.isEmpty {
            print(BenchReport.median(of: try report.map(BenchReport.read)).table(baseline: baseline))
            return
        }
        let selected = BenchConfig.all.filter { only.isEmpty || only.contains($0.name) }
        var jobs: [String] = []
        for bench in selected where !skipModels {
            for batch in bench.trainBatches { jobs.append("\(bench.name)/train/\(batch)") }
            if trainingOnly { continue }
            jobs.append("\(bench.name)/infer/1")
            jobs.append("\(bench.name)/infer/\(bench.inferenceBatch)")
        }
        var results: [Measurement] = []
        for (index, job) in jobs.enumerated() {
            if !json { FileHandle.standardError.write(Data("[\(index + 1)/\(jobs.count)] \(job)\n".utf8)) }
            results.append(try runChild(job))
        }
        var report = BenchReport(measurements: results, threads: threads, shards: shards ?? threads, blas: BLAS.libraryDescription)
        if !skipCheckpoints {
            if !json { FileHandle.standardError.write(Data("checkpoints\n".utf8)) }
            report.checkpoints = try ["sudoku-mlp-small", "sudoku-mlp-official"].compactMap { name in
                try BenchConfig.all.first { $0.name == name }.map(OtherBenches.checkpoint)
            }
        }
        if !skipDatasets {
            if !json { FileHandle.standardError.write(Data("datasets\n".utf8)) }
            report.datasets = OtherBenches.datasets()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(data: try encoder.encode(report), encoding: .utf8)!)
        } else {
            print(report.table(baseline: baseline))
        }
    }

    private func runChild(_ job: String) throws -> Measurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.isExecutableFile(atPath: process.executableURL!.path) {
            process.executableURL = Bundle.main.executableURL
        }
        process.arguments = [
            "--child", job, "--threads", "\(threads)", "--shards", "\(shards ?? threads)", "--min-samples", "\(minSamples)", "--min-seconds",
            "\(minSeconds)",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let line = String(data: output, encoding: .utf8)?.split(separator: "\n").last else {
            throw ValidationError("measurement \(job) failed (exit \(process.terminationStatus))")
        }
        return try JSONDecoder().decode(Measurement.self, from: Data(line.utf8))
    }
}

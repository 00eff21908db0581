import Foundation
import GRDB
import Logging
import TRMExperiment
import TRMServe

/// One store for the whole suite, served on a free loopback port: two finished Sudoku smoke runs
/// and a maze one (trained here, a few seconds), a run still "running" at step 10 of 60 without
/// checkpoints, and two runs whose ids share a prefix.
struct Fixture: Sendable {
    let folder: URL
    let store: RunStore
    /// The finished smoke run (60 steps, checkpoints at 20, 40, 60).
    let smoke: RunRecord
    /// A shorter finished smoke run, for comparisons.
    let short: RunRecord
    /// A run that reports progress but has written no checkpoint.
    let live: RunRecord
    /// A finished smoke-sized run on 8×8 mazes.
    let maze: RunRecord
    /// The base URL of the server.
    let url: URL

    /// Ids of the two runs made to share the prefix `ambiguousPrefix`.
    static let ambiguousPrefix = "abcabc"

    var port: Int { url.port! }

    /// Builds the fixture once; every test awaits the same one.
    private actor Cache {
        var task: Task<Fixture, any Error>?
        func fixture() async throws -> Fixture {
            if task == nil { task = Task { try await Fixture.make() } }
            return try await task!.value
        }
    }

    private static let cache = Cache()

    static func get() async throws -> Fixture { try await cache.fixture() }

    private static func make() async throws -> Fixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trm-serve-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("trm.sqlite").path
        let smokeConfig = repository.appendingPathComponent("experiments/smoke.json")
        var options = RunOptions()
        options.storePath = path
        options.quiet = true
        var logger = Logger(label: "trm-serve-tests")
        logger.logLevel = .warning
        let cache = "dataset.cache_dir=\(folder.appendingPathComponent("cache").path)"
        let smoke = try ExperimentRunner.start(
            try ExperimentConfig.load(contentsOf: smokeConfig, overrides: ["name=smoke-web", cache]), options: options, logger: logger)
        let short = try ExperimentRunner.start(
            try ExperimentConfig.load(contentsOf: smokeConfig, overrides: ["name=smoke-web-short", "training.steps=30", cache]), options: options,
            logger: logger)

        let maze = try ExperimentRunner.start(
            try ExperimentConfig.load(
                contentsOf: smokeConfig,
                overrides: [
                    "name=maze-web", "dataset.kind=maze", "dataset.sudoku_size=null", "dataset.blanks=null", "dataset.grid_size=8",
                    "dataset.min_path_length=6", "training.steps=20", cache,
                ]), options: options, logger: logger)

        let store = try RunStore(path: path)
        let live = try store.createRun(for: try ExperimentConfig.load(contentsOf: smokeConfig, overrides: ["name=live-web", cache]))
        try store.logMetrics(run: live.id, [MetricPoint(step: 10, split: "train", key: "loss", value: 1.9)])
        for suffix in ["000001", "000002"] {
            let run = try store.createRun(for: try ExperimentConfig.load(contentsOf: smokeConfig, overrides: ["name=pending-\(suffix)", cache]))
            try store.write { db in
                try db.execute(sql: "DELETE FROM params WHERE run_id = ?", arguments: [run.id])
                try db.execute(sql: "UPDATE runs SET id = ?, status = 'failed' WHERE id = ?", arguments: [ambiguousPrefix + suffix, run.id])
            }
        }

        var serverOptions = WebServer.Options()
        serverOptions.storePath = path
        serverOptions.port = 0
        serverOptions.maxBodyBytes = 4096
        let server = try WebServer(options: serverOptions)
        // The server runs for the rest of the test process; `run` reports the port it got.
        let started = AsyncStream<URL>.makeStream()
        Task.detached {
            do { try await server.run { started.continuation.yield($0) } } catch { started.continuation.finish() }
        }
        guard let url = await started.stream.first(where: { _ in true }) else { throw FixtureError(message: "the server did not start") }
        return Fixture(folder: folder, store: store, smoke: smoke, short: short, live: live, maze: maze, url: url)
    }

    struct FixtureError: Error { var message: String }

    /// The repository root (for experiments/ and the screenshot folder).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

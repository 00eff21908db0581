import Foundation
import GRDB
import TRMCore

/// Why the run store refused a request; says what to do next.
public struct RunStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure it is, so front ends can answer differently (the web API says 404
    /// for a run that does not exist and 400 for a reference that names several).
    public enum Kind: Sendable, Equatable {
        /// No run has that id, id prefix or name.
        case unknownRun
        /// The reference is empty or an id prefix shared by several runs.
        case ambiguousReference
        /// Anything else: the database, a refused resume, a run that cannot continue.
        case other
    }

    public let description: String
    /// The kind of failure.
    public let kind: Kind
    /// An error with this message.
    public init(_ description: String, kind: Kind = .other) {
        self.description = description
        self.kind = kind
    }
}

/// The SQLite database of runs, their params, metrics, checkpoints and K statistics
/// (default `runs/trm.sqlite`). Opened in WAL mode, so `trm-exp runs`/`show` and other readers
/// see the last committed state while a training process writes. Every write is one transaction.
public final class RunStore: Sendable {
    /// Where the CLI looks when `--store` is not given.
    public static let defaultPath = "runs/trm.sqlite"
    /// The metric `runs` ranks by: exact (whole-puzzle) accuracy on the test split, higher is better.
    public static let headlineMetric = (split: "test", key: "exact_accuracy")

    /// Path of the database file.
    public let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    /// - Throws: `RunStoreError` when the file cannot be opened or migrated.
    public init(path: String = RunStore.defaultPath) throws {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A second writer (another training process) waits instead of failing at once.
        configuration.busyMode = .timeout(10)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            pool = try Self.openMigrated(path: path, configuration: configuration)
        } catch {
            throw RunStoreError("cannot open run store \(path): \(error); check the path and that it is a trm-exp database")
        }
    }

    /// Opens the pool and brings the schema up to date. A run may create a store while another
    /// process (`trm-exp runs`, a second run) opens it; the migrator is not safe across processes,
    /// so the loser of that race retries until the winner's migrations are committed.
    private static func openMigrated(path: String, configuration: Configuration) throws -> DatabasePool {
        let migrator = RunStoreSchema.migrator
        var attempt = 0
        while true {
            attempt += 1
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                do {
                    try migrator.migrate(pool)
                    return pool
                } catch  where (try? pool.read(migrator.hasCompletedMigrations)) == true {
                    return pool
                }
            } catch  where attempt < 100 {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    /// Opens an existing store for reading; unlike `init`, never creates a file.
    /// - Throws: `RunStoreError` when there is no database at `path`.
    public static func openExisting(path: String) throws -> RunStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RunStoreError("no run store at \(path); run an experiment first or pass --store PATH")
        }
        return try RunStore(path: path)
    }

    /// Identifiers of the applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try RunStoreSchema.migrator.appliedIdentifiers(db) }.sorted()
    }

    // MARK: Runs

    /// Records a new run in status `running`, with its flattened config as params.
    /// - Parameters:
    ///   - experiment: the resolved config.
    ///   - gitCommit: commit of the code that runs, if known (`HostInfo.gitCommit()`).
    ///   - host: machine description (`HostInfo.description`).
    ///   - datasetDigest: content hash of the built dataset, when already known.
    ///   - startedAt: the start time recorded (default now).
    /// - Returns: the stored record, with its new id.
    public func createRun(
        for experiment: ResolvedExperiment, gitCommit: String? = nil, host: String = HostInfo.description,
        datasetDigest: String? = nil, startedAt: Date = Date()
    ) throws -> RunRecord {
        try pool.write { db in
            var id = Self.newID()
            while try RunRecord.exists(db, key: id) { id = Self.newID() }
            let run = RunRecord(
                id: id, name: experiment.config.name, group_name: experiment.config.group, status: .running,
                config_json: experiment.canonicalJSON, config_hash: experiment.hash, dataset_digest: datasetDigest,
                seed: experiment.config.seed, version: TRMExperiment.version, git_commit: gitCommit, host: host,
                started_at: startedAt, ended_at: nil, steps_done: 0)
            try run.insert(db)
            for (key, value) in experiment.json.flattened() {
                try ParamRecord(run_id: id, key: key, value: value).insert(db)
            }
            return run
        }
    }

    /// Sets a run's status; a final status (anything but `running`) also stamps `ended_at`.
    /// - Parameters:
    ///   - id: the run's full id.
    ///   - status: the new status.
    ///   - stepsDone: when given, also records the steps completed.
    ///   - time: when a final status was reached (default now).
    public func updateStatus(run id: String, _ status: RunStatus, stepsDone: Int? = nil, at time: Date = Date()) throws {
        try pool.write { db in
            guard var run = try RunRecord.fetchOne(db, key: id) else { throw Self.unknownID(id) }
            run.status = status
            run.ended_at = status == .running ? nil : time
            if let stepsDone { run.steps_done = stepsDone }
            try run.update(db)
        }
    }

    /// Records the content hash of the dataset a run trains on (known once it is built).
    public func setDatasetDigest(run id: String, _ digest: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE runs SET dataset_digest = ? WHERE id = ?", arguments: [digest, id])
            guard db.changesCount == 1 else { throw Self.unknownID(id) }
        }
    }

    /// The run with this exact id.
    public func run(id: String) throws -> RunRecord {
        guard let run = try pool.read({ db in try RunRecord.fetchOne(db, key: id) }) else { throw Self.unknownID(id) }
        return run
    }

    /// All runs, newest first, with the best value of `headlineMetric`.
    public func listRuns() throws -> [RunListing] {
        try pool.read { db in
            let runs = try RunRecord.order(Column("started_at").desc, Column("id")).fetchAll(db)
            let best = try Row.fetchAll(
                db,
                sql: """
                    SELECT run_id, MAX(value) AS best FROM metrics WHERE split = ? AND key = ? GROUP BY run_id
                    """, arguments: [Self.headlineMetric.split, Self.headlineMetric.key])
            var bestByRun: [String: Double] = [:]
            for row in best { bestByRun[row["run_id"]] = row["best"] }
            return runs.map { RunListing(run: $0, best: bestByRun[$0.id]) }
        }
    }

    /// Finds the run a user means by `reference`: an exact id, else the latest run of that name,
    /// else the one run whose id starts with it.
    /// - Throws: `RunStoreError` when nothing matches or an id prefix matches several runs (the
    ///   message lists them).
    public func resolveRun(_ reference: String) throws -> RunRecord {
        let reference = reference.trimmingCharacters(in: .whitespaces)
        guard !reference.isEmpty else {
            throw RunStoreError("empty run reference; give a run id, id prefix or name", kind: .ambiguousReference)
        }
        return try pool.read { db in
            if let run = try RunRecord.fetchOne(db, key: reference) { return run }
            if let run = try RunRecord.filter(Column("name") == reference)
                .order(Column("started_at").desc, Column("id").desc).fetchOne(db)
            {
                return run
            }
            let escaped = reference.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            let matches = try RunRecord.fetchAll(
                db, sql: "SELECT * FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY started_at DESC", arguments: [escaped + "%"])
            switch matches.count {
            case 1: return matches[0]
            case 0:
                throw RunStoreError(
                    "no run has the id, id prefix or name \"\(reference)\" in \(self.path); `trm-exp runs` lists them", kind: .unknownRun)
            default:
                let list = matches.prefix(10).map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
                throw RunStoreError(
                    "\"\(reference)\" is the start of \(matches.count) run ids: \(list); give more characters", kind: .ambiguousReference)
            }
        }
    }

    /// The flattened config of a run, by dotted key.
    public func params(run id: String) throws -> [String: String] {
        try pool.read { db in
            let rows = try ParamRecord.filter(Column("run_id") == id).fetchAll(db)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0.value) })
        }
    }

    // MARK: Metrics

    /// Appends metric values of a run in one transaction (all or none are stored).
    public func logMetrics(run id: String, _ points: [MetricPoint]) throws {
        guard !points.isEmpty else { return }
        try pool.write { db in
            let statement = try db.makeStatement(
                sql: "INSERT INTO metrics (run_id, step, split, key, value, time) VALUES (?, ?, ?, ?, ?, ?)")
            for point in points {
                try statement.execute(arguments: [id, point.step, point.split, point.key, point.value, point.time])
            }
        }
    }

    /// Metric values of a run in step order, optionally only one split and/or key.
    public func metrics(run id: String, split: String? = nil, key: String? = nil) throws -> [MetricRecord] {
        try pool.read { db in
            var request = MetricRecord.filter(Column("run_id") == id)
            if let split { request = request.filter(Column("split") == split) }
            if let key { request = request.filter(Column("key") == key) }
            return try request.order(Column("step"), Column("rowid")).fetchAll(db)
        }
    }

    /// Count, last, min and max of every metric series of a run, by split then key.
    public func metricSummaries(run id: String) throws -> [MetricSummary] {
        try pool.read { db in
            try MetricSummary.fetchAll(
                db,
                sql: """
                    SELECT m.split, m.key, COUNT(*) AS count, MIN(m.value) AS min_value, MAX(m.value) AS max_value,
                           (SELECT step FROM metrics l WHERE l.run_id = m.run_id AND l.split = m.split AND l.key = m.key
                            ORDER BY step DESC, rowid DESC LIMIT 1) AS last_step,
                           (SELECT value FROM metrics l WHERE l.run_id = m.run_id AND l.split = m.split AND l.key = m.key
                            ORDER BY step DESC, rowid DESC LIMIT 1) AS last_value
                    FROM metrics m WHERE m.run_id = ? GROUP BY m.split, m.key ORDER BY m.split, m.key
                    """, arguments: [id])
        }
    }

    // MARK: Checkpoints

    /// Records a checkpoint file (replacing a record of the same step) and, with `steps_done`,
    /// the run's progress. When it is the best, the previous best loses that mark.
    public func recordCheckpoint(_ checkpoint: CheckpointRecord) throws {
        try pool.write { db in
            if checkpoint.is_best {
                try db.execute(sql: "UPDATE checkpoints SET is_best = 0 WHERE run_id = ?", arguments: [checkpoint.run_id])
            }
            try checkpoint.upsert(db)
            try db.execute(
                sql: "UPDATE runs SET steps_done = MAX(steps_done, ?) WHERE id = ?",
                arguments: [checkpoint.step, checkpoint.run_id])
        }
    }

    /// The checkpoints of a run, oldest step first.
    public func checkpoints(run id: String) throws -> [CheckpointRecord] {
        try pool.read { db in try CheckpointRecord.filter(Column("run_id") == id).order(Column("step")).fetchAll(db) }
    }

    /// Forgets checkpoint records (after their files were pruned).
    public func removeCheckpoints(run id: String, steps: [Int]) throws {
        guard !steps.isEmpty else { return }
        try pool.write { db in
            _ = try CheckpointRecord.filter(Column("run_id") == id && steps.contains(Column("step"))).deleteAll(db)
        }
    }

    /// The folder for a run's files (checkpoints), next to the database: `runs/<id>/` for the
    /// default store. Not created here.
    public func runDirectory(for id: String) -> URL {
        URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(id, isDirectory: true)
    }

    // MARK: Helpers

    /// Runs `body` inside one write transaction; for writers that must group several changes
    /// (e.g. the K statistics of one evaluation).
    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try pool.write(body)
    }

    /// Runs `body` on a read-only snapshot of the last committed state.
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    static func newID() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12))
    }

    static func unknownID(_ id: String) -> RunStoreError {
        RunStoreError("no run with id \(id); `trm-exp runs` lists them", kind: .unknownRun)
    }
}

/// Provenance of the machine and code a run executes on.
public enum HostInfo {
    /// e.g. "2 cores; OpenBLAS 0.3.21 ...".
    public static var description: String {
        "\(ProcessInfo.processInfo.activeProcessorCount) cores; \(BLAS.libraryDescription)"
    }

    /// The commit checked out in the current directory, with "-dirty" when files changed; nil
    /// outside a git work tree or without git.
    public static func gitCommit() -> String? {
        func git(_ arguments: [String]) -> String? {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let commit = git(["rev-parse", "HEAD"]) else { return nil }
        let dirty = !(git(["status", "--porcelain", "--untracked-files=no"]) ?? "").isEmpty
        return dirty ? commit + "-dirty" : commit
    }
}

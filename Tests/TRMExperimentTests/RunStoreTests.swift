import Foundation
import GRDB
import Synchronization
import Testing

@testable import TRMExperiment

@Suite struct RunStoreTests {
    @Test func migrationsCreateEveryTable() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("nested/trm.sqlite").path)
        #expect(
            try store.appliedMigrations() == [
                "v1-runs-metrics-checkpoints", "v2-k-statistics", "v3-k-halting-outcomes", "v4-k-statistics-split",
                "v5-runs-group-index",
            ])
        let tables = try store.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' AND name NOT LIKE 'sqlite%' ORDER BY name")
        }
        #expect(tables == ["checkpoints", "example_k", "halting", "halting_summary", "k_accuracy", "metrics", "params", "runs"])
        let mode = try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        // Reopening an up-to-date store applies nothing twice.
        #expect(try RunStore(path: store.path).appliedMigrations().count == 5)
    }

    @Test func manyOpenersOfANewStoreAllSucceed() throws {
        // A run creating its store while `trm-exp runs` opens it: every opener gets a migrated store.
        for round in 0..<20 {
            let directory = try TemporaryDirectory()
            let path = directory.path("race\(round).sqlite").path
            let outcomes = Mutex([String]())
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                let outcome: String
                do { outcome = "\(try RunStore(path: path).appliedMigrations().count)" } catch { outcome = "\(error)" }
                outcomes.withLock { $0.append(outcome) }
            }
            #expect(outcomes.withLock { $0 } == Array(repeating: "5", count: 6))
        }
    }

    @Test func createLogListAndSummarise() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let config = try experiment("alpha", overrides: ["training.lr=0.0003", "seed=7"])
        let run = try store.createRun(for: config, gitCommit: "abc123", startedAt: Date(timeIntervalSince1970: 1000))
        #expect(run.id.count == 12 && run.status == .running && run.seed == 7 && run.config_hash == config.hash)
        #expect(try store.params(run: run.id)["training.lr"] == "0.0003")
        #expect(try store.params(run: run.id)["evaluation.halt_thresholds"] == "[0.5]")

        try store.logMetrics(run: run.id, (1...100).map { MetricPoint(step: $0, split: "train", key: "loss", value: 1 / Double($0)) })
        try store.logMetrics(
            run: run.id,
            [
                MetricPoint(step: 50, split: "test", key: "exact_accuracy", value: 0.4),
                MetricPoint(step: 100, split: "test", key: "exact_accuracy", value: 0.3),
            ])
        #expect(try store.metrics(run: run.id, split: "train", key: "loss").count == 100)
        let summaries = try store.metricSummaries(run: run.id)
        #expect(summaries.map(\.key) == ["exact_accuracy", "loss"])
        #expect(summaries[0].last_value == 0.3 && summaries[0].max_value == 0.4 && summaries[0].last_step == 100)
        #expect(summaries[1].count == 100 && summaries[1].min_value == 0.01)

        try store.updateStatus(run: run.id, .finished, stepsDone: 100)
        let second = try store.createRun(for: try experiment("beta"), startedAt: Date(timeIntervalSince1970: 2000))
        let listing = try store.listRuns()
        #expect(listing.map(\.run.id) == [second.id, run.id])
        #expect(listing[1].best == 0.4 && listing[0].best == nil)
        #expect(listing[1].run.status == .finished && listing[1].run.steps_done == 100 && listing[1].run.ended_at != nil)

        #expect(throws: RunStoreError.self) { try store.updateStatus(run: "nope", .failed) }
    }

    @Test func resolvesIdsPrefixesAndNames() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let old = try store.createRun(for: try experiment("sudoku"), startedAt: Date(timeIntervalSince1970: 1))
        let new = try store.createRun(for: try experiment("sudoku"), startedAt: Date(timeIntervalSince1970: 2))
        let other = try store.createRun(for: try experiment("maze"), startedAt: Date(timeIntervalSince1970: 3))
        #expect(try store.resolveRun(old.id).id == old.id)
        #expect(try store.resolveRun("sudoku").id == new.id)
        #expect(try store.resolveRun(String(other.id.prefix(10))).id == other.id)

        // Ids made to share a prefix to exercise the ambiguity message.
        try store.write { db in
            try db.execute(sql: "DELETE FROM params")
            try db.execute(sql: "UPDATE runs SET id = 'aaaa11112222' WHERE id = ?", arguments: [old.id])
            try db.execute(sql: "UPDATE runs SET id = 'aaaa33334444' WHERE id = ?", arguments: [new.id])
        }
        let ambiguous = #expect(throws: RunStoreError.self) { try store.resolveRun("aaaa") }
        #expect(ambiguous?.description.contains("2 run ids") == true)
        #expect(ambiguous?.description.contains("aaaa11112222") == true)
        #expect(ambiguous?.kind == .ambiguousReference)
        #expect(try store.resolveRun("aaaa3").id == "aaaa33334444")
        let unknown = #expect(throws: RunStoreError.self) { try store.resolveRun("zzz") }
        #expect(unknown?.description.contains("trm-exp runs") == true)
        #expect(unknown?.kind == .unknownRun)
        #expect((#expect(throws: RunStoreError.self) { try store.resolveRun(" ") })?.kind == .ambiguousReference)
        #expect((#expect(throws: RunStoreError.self) { try store.run(id: "nope") })?.kind == .unknownRun)
        // Wildcards in a reference are taken literally.
        #expect(throws: RunStoreError.self) { try store.resolveRun("%") }
    }

    @Test func readersSeeCommittedDataWhileWriterIsInTransaction() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("trm.sqlite").path
        let writer = try RunStore(path: path)
        let run = try writer.createRun(for: try experiment("concurrent"))
        try writer.logMetrics(run: run.id, [MetricPoint(step: 1, split: "train", key: "loss", value: 1)])
        let reader = try RunStore(path: path)  // a separate connection pool, as another process would have

        let inTransaction = DispatchSemaphore(value: 0)
        let mayCommit = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let runID = run.id
        Thread.detachNewThread {
            try? writer.write { db in
                for step in 2...1000 {
                    try db.execute(
                        sql: "INSERT INTO metrics (run_id, step, split, key, value, time) VALUES (?, ?, 'train', 'loss', 0.5, ?)",
                        arguments: [runID, step, Date()])
                }
                inTransaction.signal()
                mayCommit.wait()
            }
            finished.signal()
        }
        inTransaction.wait()
        // The writer holds an open transaction with 999 uncommitted rows.
        #expect(try reader.metrics(run: run.id).count == 1)
        #expect(try reader.listRuns().count == 1)
        #expect(try reader.resolveRun("concurrent").id == run.id)
        mayCommit.signal()
        finished.wait()
        #expect(try reader.metrics(run: run.id).count == 1000)
    }

    @Test func checkpointRecordsKeepOneBest() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let run = try store.createRun(for: try experiment("ckpt"))
        try store.recordCheckpoint(CheckpointRecord(run_id: run.id, step: 10, path: "a", bytes: 5, sha256: "x", is_best: true))
        try store.recordCheckpoint(CheckpointRecord(run_id: run.id, step: 20, path: "b", bytes: 6, sha256: "y", is_best: false))
        try store.recordCheckpoint(CheckpointRecord(run_id: run.id, step: 30, path: "c", bytes: 7, sha256: "z", is_best: true))
        let records = try store.checkpoints(run: run.id)
        #expect(records.map(\.step) == [10, 20, 30])
        #expect(records.map(\.is_best) == [false, false, true])
        #expect(try store.run(id: run.id).steps_done == 30)
        try store.removeCheckpoints(run: run.id, steps: [10, 20])
        #expect(try store.checkpoints(run: run.id).map(\.step) == [30])
    }
}

@Suite struct KStatisticsStoreTests {
    @Test func recordingAnEvaluationReplacesItsEarlierRows() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let run = try store.createRun(for: try experiment("k"))
        func accuracy(_ step: Int, _ scale: Double) -> [KAccuracyRecord] {
            (1...4).map {
                KAccuracyRecord(run_id: run.id, eval_step: step, k: $0, token_acc: scale * Double($0) / 4, exact_acc: scale * Double($0) / 8)
            }
        }
        let halting = [HaltingRecord(run_id: run.id, eval_step: 100, threshold: 0.5, k: 2, count: 7)]
        let examples = [
            ExampleKRecord(run_id: run.id, eval_step: 100, example: 0, optimal_k: 3, regressed: false, correct_at_max: true, difficulty: 55),
            ExampleKRecord(run_id: run.id, eval_step: 100, example: 1, optimal_k: nil, regressed: false, correct_at_max: false, difficulty: nil),
        ]
        try store.recordKStatistics(run: run.id, evalStep: 100, accuracy: accuracy(100, 1), halting: halting, examples: examples)
        try store.recordKStatistics(run: run.id, evalStep: 100, accuracy: accuracy(100, 0.5), halting: halting, examples: examples)
        try store.recordKStatistics(run: run.id, evalStep: 50, accuracy: accuracy(50, 0.1), halting: [], examples: [])
        let latest = try store.kAccuracy(run: run.id)
        #expect(latest.map(\.k) == [1, 2, 3, 4] && latest.allSatisfy { $0.eval_step == 100 })
        #expect(latest.last?.token_acc == 0.5)
        #expect(try store.kAccuracy(run: run.id, evalStep: 50).first?.token_acc == 0.025)
        let stored = try store.read { db in try ExampleKRecord.order(Column("example")).fetchAll(db) }
        #expect(stored == examples)
        #expect(try store.read { db in try HaltingRecord.fetchCount(db) } == 1)
    }
}

import Foundation
import GRDB
import Testing

@testable import TRMExperiment

@Suite struct RunStoreHousekeepingTests {
    @Test func renameMovesTheNameAndKeepsEverythingElse() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let older = try store.createRun(for: try experiment("maze-mlp"), startedAt: Date(timeIntervalSince1970: 1))
        let newer = try store.createRun(for: try experiment("maze-mlp"), startedAt: Date(timeIntervalSince1970: 2))
        try store.logMetrics(run: newer.id, [MetricPoint(step: 10, split: "test", key: "exact_accuracy", value: 0.5)])
        #expect(try store.resolveRun("maze-mlp").id == newer.id)

        try store.rename(run: newer.id, to: "maze-mlp-b32")
        // The name now means the older run; the renamed one keeps its id, config and metrics.
        #expect(try store.resolveRun("maze-mlp").id == older.id)
        let renamed = try store.resolveRun("maze-mlp-b32")
        #expect(renamed.id == newer.id && renamed.config_json == newer.config_json)
        #expect(try store.metrics(run: newer.id).map(\.value) == [0.5])
        #expect(try store.runIDs(named: "maze-mlp") == [older.id])

        for bad in ["", "two words", "slash/name", String(repeating: "x", count: 101)] {
            #expect(throws: RunStoreError.self) { try store.rename(run: older.id, to: bad) }
        }
        #expect(throws: RunStoreError.self) { try store.rename(run: "nope", to: "fine") }
        #expect(try store.resolveRun(older.id).name == "maze-mlp")
    }

    @Test func deleteForgetsEveryRecordOfTheRunOnly() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let doomed = try store.createRun(for: try experiment("doomed"))
        let kept = try store.createRun(for: try experiment("kept"))
        for run in [doomed, kept] {
            try store.logMetrics(run: run.id, [MetricPoint(step: 1, split: "train", key: "loss", value: 1)])
            try store.recordCheckpoint(
                CheckpointRecord(run_id: run.id, step: 1, path: "/tmp/x", bytes: 1, sha256: "00", is_best: false, created_at: Date()))
        }
        try store.deleteRun(id: doomed.id)
        #expect(throws: RunStoreError.self) { try store.run(id: doomed.id) }
        let left = try store.read { db in
            try ["params", "metrics", "checkpoints"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0) WHERE run_id = ?", arguments: [doomed.id]) ?? -1
            }
        }
        #expect(left == [0, 0, 0])
        #expect(try store.metrics(run: kept.id).count == 1 && store.checkpoints(run: kept.id).count == 1)
        #expect(try !store.params(run: kept.id).isEmpty)
        #expect(throws: RunStoreError.self) { try store.deleteRun(id: doomed.id) }
    }
}

import Foundation
import GRDB
import Testing

@testable import TRMExperiment

/// Migration v5 indexes runs by group: a store left at v4 keeps every run, group and metric, and
/// group look-ups use the new index.
struct GroupIndexMigrationTests {
    @Test func olderStoreKeepsItsRunsAndLooksGroupsUpByIndex() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("trm.sqlite").path

        // A store as the previous version left it: migrated up to v4, two seeded runs and one without a group.
        do {
            let pool = try DatabasePool(path: path)
            try RunStoreSchema.migrator.migrate(pool, upTo: "v4-k-statistics-split")
            try pool.write { db in
                for (id, name, group, seed, day) in [
                    ("a1", "r1-s0", "r1", 0, "01"), ("a2", "r1-s1", "r1", 1, "02"), ("b1", "solo", nil, 0, "03"),
                ] as [(String, String, String?, Int, String)] {
                    try db.execute(
                        sql: """
                            INSERT INTO runs (id, name, group_name, status, config_json, config_hash, seed, version, host, started_at, ended_at)
                            VALUES (?, ?, ?, 'finished', '{}', 'h', ?, 'v', 'host', ?, ?)
                            """, arguments: [id, name, group, seed, "2026-01-\(day) 00:00:00", "2026-01-\(day) 00:10:00"])
                    try db.execute(
                        sql: "INSERT INTO metrics (run_id, step, split, key, value, time) VALUES (?, 10, 'test', 'exact_accuracy', 0.5, ?)",
                        arguments: [id, "2026-01-\(day) 00:05:00"])
                }
            }
        }

        let store = try RunStore(path: path)
        #expect(try store.appliedMigrations().last == "v5-runs-group-index")
        #expect(try store.listRuns().map(\.run.id) == ["b1", "a2", "a1"])
        #expect(try store.runs(inGroup: "r1").map(\.name) == ["r1-s0", "r1-s1"])
        #expect(try store.groupNames() == ["r1"])
        #expect(try store.metrics(run: "a2").map(\.value) == [0.5])
        #expect(try store.run(id: "a1").ended_at != nil)
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM runs WHERE group_name = 'r1'").map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("runs_by_group") }, "\(plan)")
    }
}

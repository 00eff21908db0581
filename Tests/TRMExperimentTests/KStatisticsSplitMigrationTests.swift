import Foundation
import GRDB
import Testing

@testable import TRMExperiment

/// Migration v4 keys K statistics by split: rows of an older store survive as "test", and an
/// `eval` at the same step no longer replaces them.
struct KStatisticsSplitMigrationTests {
    @Test func olderRowsBecomeTestAndEvalRowsLiveBesideThem() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trm-split-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("trm.sqlite").path

        // A store as the previous version left it: migrated up to v3, with one evaluation's rows.
        do {
            let pool = try DatabasePool(path: path)
            try RunStoreSchema.migrator.migrate(pool, upTo: "v3-k-halting-outcomes")
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO runs (id, name, status, config_json, config_hash, seed, version, host, started_at)
                        VALUES ('r1', 'old', 'finished', '{}', 'h', 0, 'v', 'host', '2026-01-01 00:00:00')
                        """)
                try db.execute(sql: "INSERT INTO k_accuracy (run_id, eval_step, k, token_acc, exact_acc) VALUES ('r1', 10, 1, 0.5, 0.25)")
                try db.execute(sql: "INSERT INTO halting (run_id, eval_step, threshold, k, count) VALUES ('r1', 10, 0, 1, 4)")
                try db.execute(
                    sql: """
                        INSERT INTO example_k (run_id, eval_step, example, optimal_k, regressed, correct_at_max, difficulty, halt_k, group_label)
                        VALUES ('r1', 10, 0, 1, 0, 1, 3.0, 1, 'g')
                        """)
            }
        }

        let store = try RunStore(path: path)
        #expect(try store.kAccuracy(run: "r1") == [KAccuracyRecord(run_id: "r1", eval_step: 10, k: 1, token_acc: 0.5, exact_acc: 0.25)])
        let old = try #require(try store.kStatistics(run: "r1"))
        #expect(old.halting.first?.histogram == [4] && old.examples.first?.group == "g")

        let eval = KStatistics(maxK: 1, accuracy: [.init(k: 1, tokenAccuracy: 1, exactAccuracy: 1)], halting: [], examples: [], bucketCount: 4)
        try store.recordKStatistics(run: "r1", evalStep: 10, split: "eval", eval)
        #expect(try store.kAccuracy(run: "r1").first?.exact_acc == 0.25)
        #expect(try store.kAccuracy(run: "r1", split: "eval").first?.exact_acc == 1)
        #expect(try store.kEvaluationSteps(run: "r1", split: "eval") == [10])
    }
}

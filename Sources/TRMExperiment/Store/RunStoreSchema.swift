import GRDB

/// The versioned schema of the run store. Migrations are append-only: never edit a registered
/// one, add a new one, so existing databases upgrade in place.
enum RunStoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-runs-metrics-checkpoints") { db in
            try db.create(table: "runs") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull().indexed()
                t.column("group_name", .text)
                t.column("status", .text).notNull()
                    .check(sql: "status IN ('running', 'finished', 'interrupted', 'failed')")
                t.column("config_json", .text).notNull()
                t.column("config_hash", .text).notNull().indexed()
                t.column("dataset_digest", .text)
                t.column("seed", .integer).notNull()
                t.column("version", .text).notNull()
                t.column("git_commit", .text)
                t.column("host", .text).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("ended_at", .datetime)
                t.column("steps_done", .integer).notNull().defaults(to: 0)
            }
            try db.create(table: "params") { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("key", .text).notNull()
                t.column("value", .text).notNull()
                t.primaryKey(["run_id", "key"])
            }
            try db.create(table: "metrics") { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("step", .integer).notNull()
                t.column("split", .text).notNull()
                t.column("key", .text).notNull()
                t.column("value", .double).notNull()
                t.column("time", .datetime).notNull()
            }
            try db.create(index: "metrics_by_series", on: "metrics", columns: ["run_id", "split", "key", "step"])
            try db.create(table: "checkpoints") { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("step", .integer).notNull()
                t.column("path", .text).notNull()
                t.column("bytes", .integer).notNull()
                t.column("sha256", .text).notNull()
                t.column("is_best", .boolean).notNull().defaults(to: false)
                t.column("created_at", .datetime).notNull()
                t.primaryKey(["run_id", "step"])
            }
        }
        migrator.registerMigration("v2-k-statistics") { db in
            // Per evaluation: accuracy when every example stops after exactly k ACT steps.
            try db.create(table: "k_accuracy") { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("eval_step", .integer).notNull()
                t.column("k", .integer).notNull()
                t.column("token_acc", .double).notNull()
                t.column("exact_acc", .double).notNull()
                t.primaryKey(["run_id", "eval_step", "k"])
            }
            // How many examples first cross each halting threshold at step k.
            try db.create(table: "halting") { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("eval_step", .integer).notNull()
                t.column("threshold", .double).notNull()
                t.column("k", .integer).notNull()
                t.column("count", .integer).notNull()
                t.primaryKey(["run_id", "eval_step", "threshold", "k"])
            }
            // Per test example: the fewest steps that solve it, whether more steps broke it.
            try db.create(table: "example_k") { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("eval_step", .integer).notNull()
                t.column("example", .integer).notNull()
                t.column("optimal_k", .integer)
                t.column("regressed", .boolean).notNull()
                t.column("correct_at_max", .boolean).notNull()
                t.column("difficulty", .double)
                t.primaryKey(["run_id", "eval_step", "example"])
            }
        }
        migrator.registerMigration("v3-k-halting-outcomes") { db in
            // Per evaluation and halting rule: accuracy and cost when the rule decides where each
            // example stops (not derivable from the `halting` histogram).
            try db.create(table: "halting_summary") { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("eval_step", .integer).notNull()
                t.column("threshold", .double).notNull()
                t.column("max_k", .integer).notNull()
                t.column("never_halted", .integer).notNull()
                t.column("token_acc", .double).notNull()
                t.column("exact_acc", .double).notNull()
                t.column("mean_k", .double).notNull()
                t.column("saved_fraction", .double).notNull()
                t.primaryKey(["run_id", "eval_step", "threshold"])
            }
            // Where the model's own rule halts each example, and its group/task label.
            try db.alter(table: "example_k") { t in
                t.add(column: "halt_k", .integer)
                t.add(column: "group_label", .text)
            }
        }
        migrator.registerMigration("v4-k-statistics-split") { db in
            // `trm-exp eval` measures a checkpoint on other data (or again on the test split) at
            // the same training step as the run's own evaluation, so K statistics are also keyed by
            // the split they were measured on. SQLite cannot change a primary key in place:
            // each table is rebuilt, existing rows keep split 'test'.
            let tables: [(name: String, columns: String, key: String)] = [
                ("k_accuracy", "k INTEGER NOT NULL, token_acc DOUBLE NOT NULL, exact_acc DOUBLE NOT NULL", "k"),
                ("halting", "threshold DOUBLE NOT NULL, k INTEGER NOT NULL, count INTEGER NOT NULL", "threshold, k"),
                (
                    "example_k",
                    """
                    example INTEGER NOT NULL, optimal_k INTEGER, regressed BOOLEAN NOT NULL, correct_at_max BOOLEAN NOT NULL, \
                    difficulty DOUBLE, halt_k INTEGER, group_label TEXT
                    """, "example"
                ),
                (
                    "halting_summary",
                    """
                    threshold DOUBLE NOT NULL, max_k INTEGER NOT NULL, never_halted INTEGER NOT NULL, token_acc DOUBLE NOT NULL, \
                    exact_acc DOUBLE NOT NULL, mean_k DOUBLE NOT NULL, saved_fraction DOUBLE NOT NULL
                    """, "threshold"
                ),
            ]
            for table in tables {
                let old = try db.columns(in: table.name).map(\.name).joined(separator: ", ")
                try db.execute(sql: "ALTER TABLE \(table.name) RENAME TO \(table.name)_v3")
                try db.execute(
                    sql: """
                        CREATE TABLE \(table.name) (
                            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, eval_step INTEGER NOT NULL,
                            split TEXT NOT NULL DEFAULT 'test', \(table.columns),
                            PRIMARY KEY (run_id, eval_step, split, \(table.key)))
                        """)
                try db.execute(sql: "INSERT INTO \(table.name) (\(old)) SELECT \(old) FROM \(table.name)_v3")
                try db.execute(sql: "DROP TABLE \(table.name)_v3")
            }
        }
        migrator.registerMigration("v5-runs-group-index") { db in
            // `runs.group_name` exists since v1; seeded sweeps (`run --seeds`) make groups the
            // usual way to compare and report runs, so `compare GROUP` and the learning report
            // look runs up by group as often as by name, and both deserve an index.
            try db.create(index: "runs_by_group", on: "runs", columns: ["group_name"])
        }
        return migrator
    }
}

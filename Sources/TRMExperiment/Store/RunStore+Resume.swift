import GRDB

extension RunStore {
    /// Removes what a run recorded after `step` (metrics, K statistics, checkpoint rows), so a run
    /// resumed from its checkpoint at `step` records each later step exactly once.
    public func discardRecords(run id: String, after step: Int) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM metrics WHERE run_id = ? AND step > ?", arguments: [id, step])
            for table in ["k_accuracy", "halting", "example_k"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE run_id = ? AND eval_step > ?", arguments: [id, step])
            }
            try db.execute(sql: "DELETE FROM checkpoints WHERE run_id = ? AND step > ?", arguments: [id, step])
        }
    }
}

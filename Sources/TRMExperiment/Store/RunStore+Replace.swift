import GRDB

extension RunStore {
    /// Replaces every metric of one split at one step by `points` in one transaction, so an
    /// evaluation repeated on the same checkpoint and data leaves one set of values.
    public func replaceMetrics(run id: String, step: Int, split: String, _ points: [MetricPoint]) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM metrics WHERE run_id = ? AND step = ? AND split = ?", arguments: [id, step, split])
            for point in points {
                try db.execute(
                    sql: "INSERT INTO metrics (run_id, step, split, key, value, time) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [id, point.step, point.split, point.key, point.value, point.time])
            }
        }
    }
}

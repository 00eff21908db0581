import GRDB

extension RunStore {
    /// Adds or replaces params of a run that are known only once it runs, such as
    /// `model.num_parameters` (`ReportMetrics.parameterCountKey`), which `compare` shows.
    /// Values are canonical JSON text, like the flattened config (`"512"`, `"\"rope\""`).
    public func setParams(run id: String, _ values: [String: String]) throws {
        try write { db in
            guard try RunRecord.exists(db, key: id) else { throw Self.unknownID(id) }
            for (key, value) in values { try ParamRecord(run_id: id, key: key, value: value).upsert(db) }
        }
    }
}

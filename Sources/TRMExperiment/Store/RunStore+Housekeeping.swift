import Foundation
import GRDB

extension RunStore {
    /// Gives a run a new name, so that references by name (`compare NAME`, the learning report's
    /// latest run of a recipe) find it under that name and no longer under the old one. The
    /// recorded config keeps the name the run was started with, as it is what ran.
    /// - Throws: `RunStoreError` when the name has characters other than letters, digits, `.`,
    ///   `_` and `-` (or is empty or longer than 100), or the run does not exist.
    public func rename(run id: String, to name: String) throws {
        guard ExperimentSchema.isName(name) else {
            throw RunStoreError("\"\(name)\" is not a run name: use 1–100 letters, digits, '.', '_' or '-'")
        }
        try write { db in
            try db.execute(sql: "UPDATE runs SET name = ? WHERE id = ?", arguments: [name, id])
            guard db.changesCount == 1 else { throw Self.unknownID(id) }
        }
    }

    /// Forgets a run: its row and, in the same transaction, everything recorded for it (params,
    /// metrics, K statistics, checkpoint records). Its folder of checkpoint files is the caller's
    /// to remove (`runDirectory(for:)`), after this succeeds, so a failure never leaves records
    /// pointing at deleted files.
    /// - Throws: `RunStoreError` when the run does not exist.
    public func deleteRun(id: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw Self.unknownID(id) }
        }
    }

    /// The ids of the runs named `name`, newest first.
    public func runIDs(named name: String) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT id FROM runs WHERE name = ? ORDER BY started_at DESC, id DESC", arguments: [name])
        }
    }
}

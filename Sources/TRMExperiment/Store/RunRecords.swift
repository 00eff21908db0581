import Foundation
import GRDB

/// Life cycle of a run.
public enum RunStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// Still training (or the process died without saying so).
    case running
    /// Trained to the end and evaluated.
    case finished
    /// Stopped on request (Ctrl-C); resumable from its last checkpoint.
    case interrupted
    /// Stopped by an error; the error is logged.
    case failed
}

/// One row of `runs`: an execution of an experiment config.
public struct RunRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The SQLite table holding these rows.
    public static let databaseTableName = "runs"

    /// Short random hexadecimal id (12 characters); any unique prefix also names the run.
    public var id: String
    /// Experiment name from the config.
    public var name: String
    /// Experiment group from the config, if any.
    public var group_name: String?
    /// Where the run is in its life cycle.
    public var status: RunStatus
    /// The resolved config as canonical JSON.
    public var config_json: String
    /// SHA-256 of `config_json`.
    public var config_hash: String
    /// Content hash of the built dataset, once known.
    public var dataset_digest: String?
    /// Seed of every random generator of the run.
    public var seed: Int
    /// trm-exp version that ran it.
    public var version: String
    /// Commit of the source tree that ran it, when known.
    public var git_commit: String?
    /// Machine description, e.g. "2 cores; OpenBLAS 0.3.21".
    public var host: String
    /// When the run started.
    public var started_at: Date
    /// When the run stopped (finished, interrupted or failed); nil while running.
    public var ended_at: Date?
    /// Optimiser steps completed so far.
    public var steps_done: Int
}

/// One row of `params`: a flattened config value (`training.lr` → `0.0001`), for filtering and comparing.
public struct ParamRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The SQLite table holding these rows.
    public static let databaseTableName = "params"
    /// Id of the run the value belongs to.
    public var run_id: String
    /// Dotted JSON path of the value, e.g. `training.lr`.
    public var key: String
    /// Canonical JSON text of the value.
    public var value: String
}

/// One measured value at a step.
public struct MetricPoint: Sendable, Equatable {
    /// Optimiser step the value belongs to.
    public var step: Int
    /// "train", "test", or another split name.
    public var split: String
    /// e.g. "loss", "accuracy", "exact_accuracy", "lr".
    public var key: String
    /// The measured value.
    public var value: Double
    /// Wall-clock time of the measurement.
    public var time: Date

    /// A value measured now (or at `time`).
    public init(step: Int, split: String, key: String, value: Double, time: Date = Date()) {
        self.step = step
        self.split = split
        self.key = key
        self.value = value
        self.time = time
    }
}

/// One row of `metrics`.
public struct MetricRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The SQLite table holding these rows.
    public static let databaseTableName = "metrics"
    /// Id of the run that measured the value.
    public var run_id: String
    /// Optimiser step the value belongs to.
    public var step: Int
    /// "train", "test", or another split name.
    public var split: String
    /// Metric name, e.g. "loss", "accuracy", "exact_accuracy", "lr".
    public var key: String
    /// The measured value.
    public var value: Double
    /// Wall-clock time of the measurement.
    public var time: Date
}

/// One row of `checkpoints`: a checkpoint file written by a run.
public struct CheckpointRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The SQLite table holding these rows.
    public static let databaseTableName = "checkpoints"
    /// Id of the run that wrote the checkpoint.
    public var run_id: String
    /// Optimiser step at which the checkpoint was taken.
    public var step: Int
    /// File path as written (relative to the working directory or absolute).
    public var path: String
    /// Size of the compressed file in bytes.
    public var bytes: Int
    /// SHA-256 (hex) of the uncompressed safetensors payload.
    public var sha256: String
    /// The checkpoint with the best evaluation so far; at most one per run.
    public var is_best: Bool
    /// When the file was written.
    public var created_at: Date

    /// A record of a checkpoint written at `created_at`.
    public init(run_id: String, step: Int, path: String, bytes: Int, sha256: String, is_best: Bool, created_at: Date = Date()) {
        self.run_id = run_id
        self.step = step
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
        self.is_best = is_best
        self.created_at = created_at
    }
}

/// A summary of one metric series of a run, for `trm-exp show`.
public struct MetricSummary: Sendable, Equatable, FetchableRecord {
    /// "train", "test", or another split name.
    public var split: String
    /// Metric name, e.g. "loss" or "exact_accuracy".
    public var key: String
    /// Number of values recorded in the series.
    public var count: Int
    /// Step of the most recent value.
    public var last_step: Int
    /// The most recent value.
    public var last_value: Double
    /// Smallest value of the series.
    public var min_value: Double
    /// Largest value of the series.
    public var max_value: Double

    /// Decodes a row of `RunStore.metricSummaries`.
    public init(row: Row) throws {
        split = row["split"]
        key = row["key"]
        count = row["count"]
        last_step = row["last_step"]
        last_value = row["last_value"]
        min_value = row["min_value"]
        max_value = row["max_value"]
    }
}

/// A run with its headline number, for `trm-exp runs`.
public struct RunListing: Sendable, Equatable {
    /// The run's `runs` row.
    public var run: RunRecord
    /// Best value of `RunStore.headlineMetric`, if measured.
    public var best: Double?
}

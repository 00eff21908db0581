import Foundation
import TRMCore

/// Why a checkpoint file was refused: the path and what is wrong with it.
public struct CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// What was written, for `RunStore.recordCheckpoint`.
public struct CheckpointInfo: Sendable, Equatable {
    /// File path as written (relative to the working directory or absolute).
    public var path: String
    /// Size of the compressed file.
    public var bytes: Int
    /// SHA-256 (hex) of the uncompressed safetensors payload.
    public var sha256: String
}

/// Checkpoint files: a safetensors payload (tensors plus string metadata such as step and
/// generator states) compressed with gzip, written atomically. The gzip header comment holds
/// `sha256=<hex>` of the payload and zlib checks the stream's CRC-32 and length, so a file
/// verifies on its own; the run store keeps the same checksum. Reading checks everything before
/// returning, so a damaged file is refused whole, never half-loaded.
public enum CheckpointFile {
    /// File name extension of checkpoints.
    public static let fileExtension = "safetensors.gz"

    /// The conventional path of the checkpoint at `step` inside a run's directory,
    /// e.g. `runs/3f2a…/step-00001200.safetensors.gz` (zero-padded so names sort by step).
    public static func url(in runDirectory: URL, step: Int) -> URL {
        runDirectory.appendingPathComponent(String(format: "step-%08d.", step) + fileExtension)
    }

    /// Compresses and atomically writes a safetensors payload.
    /// - Parameters:
    ///   - tensors: the tensors and metadata to write.
    ///   - url: the checkpoint file; replaced atomically.
    ///   - level: gzip level; float weights barely compress, so the default is fast.
    /// - Throws: `CheckpointError` when the file cannot be written (the old file, if any, stays).
    @discardableResult
    public static func write(_ tensors: SafeTensorsWriter, to url: URL, level: Int32 = 1) throws -> CheckpointInfo {
        try write(payload: tensors.serialized(), to: url, level: level)
    }

    /// Compresses and atomically writes already serialised safetensors bytes.
    @discardableResult
    public static func write(payload: Data, to url: URL, level: Int32 = 1) throws -> CheckpointInfo {
        let digest = SHA256.hex(payload)
        do {
            let compressed = try Gzip.compress(payload, level: level, comment: "sha256=\(digest)")
            try AtomicFile.write(compressed, to: url)
            return CheckpointInfo(path: url.path, bytes: compressed.count, sha256: digest)
        } catch {
            throw CheckpointError("cannot write checkpoint \(url.path): \(error)")
        }
    }

    /// Reads and verifies a checkpoint: gzip stream and CRC, embedded payload checksum, the
    /// optional checksum the run store recorded, and the safetensors header.
    /// - Parameters:
    ///   - url: the checkpoint file.
    ///   - expectedSHA256: the checksum recorded at write time, when known.
    /// - Throws: `CheckpointError` naming the path and the first thing found wrong.
    public static func read(from url: URL, expectedSHA256: String? = nil) throws -> SafeTensors {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CheckpointError("cannot read checkpoint \(url.path): \(error.localizedDescription)")
        }
        let payload: Data
        let comment: String?
        do { (payload, comment) = try Gzip.decompressWithComment(data) } catch {
            throw CheckpointError("checkpoint \(url.path) is damaged (\(data.count) bytes): \(error); use an earlier checkpoint")
        }
        let digest = SHA256.hex(payload)
        if let comment, comment.hasPrefix("sha256="), String(comment.dropFirst(7)) != digest {
            throw CheckpointError(
                "checkpoint \(url.path): payload checksum \(digest) differs from the \(comment.dropFirst(7)) it was written with; use an earlier checkpoint"
            )
        }
        if let expectedSHA256, expectedSHA256 != digest {
            throw CheckpointError(
                "checkpoint \(url.path): payload checksum \(digest) differs from the \(expectedSHA256) the run store recorded; the file was replaced or damaged"
            )
        }
        do { return try SafeTensors(data: payload) } catch {
            throw CheckpointError("checkpoint \(url.path) holds an invalid safetensors payload: \(error)")
        }
    }
}

/// Which checkpoints to keep: the `keep` most recent steps plus the best one.
public enum CheckpointPruning {
    /// Splits records into those to keep and those to delete.
    public static func plan(_ records: [CheckpointRecord], keep: Int) -> (keep: [CheckpointRecord], remove: [CheckpointRecord]) {
        let recent = Set(records.map(\.step).sorted(by: >).prefix(max(0, keep)))
        let kept = records.filter { recent.contains($0.step) || $0.is_best }
        let removed = records.filter { !recent.contains($0.step) && !$0.is_best }
        return (kept, removed)
    }

    /// Deletes the files and records of a run's checkpoints outside the plan.
    /// - Returns: the steps removed.
    /// - Throws: `CheckpointError` when a file exists but cannot be deleted (its record stays).
    @discardableResult
    public static func prune(run id: String, keep: Int, store: RunStore) throws -> [Int] {
        let (_, remove) = plan(try store.checkpoints(run: id), keep: keep)
        var removed: [Int] = []
        var failure: Error?
        for record in remove {
            do {
                if FileManager.default.fileExists(atPath: record.path) { try FileManager.default.removeItem(atPath: record.path) }
                removed.append(record.step)
            } catch {
                failure = CheckpointError("cannot delete old checkpoint \(record.path): \(error.localizedDescription)")
            }
        }
        try store.removeCheckpoints(run: id, steps: removed)
        if let failure { throw failure }
        return removed
    }
}

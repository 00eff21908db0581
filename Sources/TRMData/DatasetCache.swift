import Foundation
import TRMCore

/// A folder of built datasets, keyed by a digest of the source files' bytes, the builder options
/// and the seed, so an unchanged build is read instead of redone. Each entry holds the reference
/// layout with gzip-compressed arrays (`all__*.npy.gz`, which `ReferenceFormat.read` also reads)
/// and `ingest.json`, the ingest reports of the build that made it.
public struct DatasetCache: Sendable {
    /// The cache folder; each entry is `<root>/<key>/`.
    public let root: URL

    /// A cached dataset and what its ingest reported (skipped items included).
    public struct Entry: Sendable, Equatable {
        /// The built dataset.
        public var dataset: PuzzleDataset
        /// One report per ingested file or folder (empty for generated or copied data).
        public var reports: [IngestReport]

        /// An entry for `dataset` built with `reports`.
        public init(dataset: PuzzleDataset, reports: [IngestReport] = []) {
            self.dataset = dataset
            self.reports = reports
        }
    }

    /// How `entry(key:build:)` obtained its entry.
    public enum Outcome: Sendable, Equatable {
        /// Read from the cache.
        case hit
        /// Built and stored (there was no entry).
        case built
        /// The stored entry could not be read (the reason says why); it was built again and replaced.
        case rebuilt(reason: String)
    }

    /// Creates a cache rooted at `root` (created on first write).
    public init(root: URL) { self.root = root }

    /// Part of every key: entries of an older layout (plain `.npy` arrays, no `ingest.json`) get
    /// other keys, so they are rebuilt rather than misread.
    static let keyVersion = "trm-exp dataset cache v4 (gzip arrays, ingest reports)"

    /// The key for building `kind` from `sourceFiles` (bytes hashed, in order) with `options`
    /// (JSON with sorted keys) and `seed`: 64 hex characters.
    public static func key<Options: Encodable>(kind: String, sourceFiles: [URL], options: Options, seed: UInt64) throws -> String {
        var hasher = SHA256()
        hasher.update(Data("\(keyVersion)\n\(kind)\n\(seed)\n".utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        hasher.update(try encoder.encode(options))
        for url in sourceFiles {
            guard let handle = FileHandle(forReadingAtPath: url.path) else {
                throw DatasetUsageError("cannot read \(url.path) to compute the cache key: check that it exists")
            }
            defer { try? handle.close() }
            hasher.update(Data("\nfile \(url.lastPathComponent)\n".utf8))
            while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty { hasher.update(chunk) }
        }
        return hasher.hexDigest()
    }

    /// The folder of entry `key`.
    public func folder(for key: String) -> URL { root.appendingPathComponent(key) }

    /// Whether an entry for `key` exists (without reading or checking it).
    public func contains(key: String) -> Bool { FileManager.default.fileExists(atPath: folder(for: key).path) }

    /// The cached entry for `key`, or nil if absent.
    /// - Throws: `DatasetUsageError` naming the entry's folder and the damaged file when the entry
    ///   cannot be read (a corrupt or truncated array fails its gzip CRC or length check).
    public func load(key: String) throws -> Entry? {
        let dir = folder(for: key)
        guard FileManager.default.fileExists(atPath: dir.path) else { return nil }
        do {
            let reportsURL = dir.appendingPathComponent("ingest.json")
            let reports: [IngestReport]
            do {
                reports = try JSONDecoder().decode([IngestReport].self, from: Data(contentsOf: reportsURL))
            } catch {
                throw DatasetError(file: reportsURL.path, location: "whole file", problem: .malformed("unreadable ingest reports: \(error)"))
            }
            return Entry(dataset: try ReferenceFormat.read(dir), reports: reports)
        } catch {
            throw DatasetUsageError(
                "the dataset cache entry \(dir.path) is damaged (\(error)); delete that folder and build again, it is rebuilt from the sources"
            )
        }
    }

    /// The cached entry for `key`, building and storing it (atomically) when absent. A damaged
    /// entry is built again and replaced; the outcome says which happened.
    public func entry(key: String, build: () throws -> Entry) throws -> (entry: Entry, outcome: Outcome) {
        var outcome = Outcome.built
        do {
            if let cached = try load(key: key) { return (cached, .hit) }
        } catch let error as DatasetUsageError {
            outcome = .rebuilt(reason: error.message)
        }
        let entry = try build()
        let dir = folder(for: key)
        if case .rebuilt = outcome { try? FileManager.default.removeItem(at: dir) }
        let reports = try JSONEncoder().encode(entry.reports)
        try ReferenceFormat.writeFolder(to: dir, replaceExisting: false) { temp in
            try ReferenceFormat.writeContents(entry.dataset, into: temp, compressed: true)
            try reports.write(to: temp.appendingPathComponent("ingest.json"))
        }
        return (entry, outcome)
    }
}

import Foundation
import TRMCore

/// A folder of built datasets in the reference format, keyed by a digest of the source files'
/// bytes, the builder options and the seed, so an unchanged build is read instead of redone.
public struct DatasetCache: Sendable {
    /// The cache folder; each entry is `<root>/<key>/`.
    public let root: URL

    /// Creates a cache rooted at `root` (created on first write).
    public init(root: URL) { self.root = root }

    /// The key for building `kind` from `sourceFiles` (bytes hashed, in order) with `options`
    /// (JSON with sorted keys) and `seed`: 64 hex characters.
    public static func key<Options: Encodable>(kind: String, sourceFiles: [URL], options: Options, seed: UInt64) throws -> String {
        var hasher = SHA256()
        hasher.update(Data("trm-exp dataset cache v3\n\(kind)\n\(seed)\n".utf8))
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

    /// The cached dataset for `key`, or nil if absent.
    public func load(key: String) throws -> PuzzleDataset? {
        let dir = folder(for: key)
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("train/dataset.json").path) else { return nil }
        return try ReferenceFormat.read(dir)
    }

    /// The cached dataset for `key`, building and storing it (atomically) when absent.
    public func dataset(key: String, build: () throws -> PuzzleDataset) throws -> PuzzleDataset {
        if let cached = try load(key: key) { return cached }
        let dataset = try build()
        try ReferenceFormat.write(dataset, to: folder(for: key), replaceExisting: false)
        return dataset
    }
}

import Foundation
import TRMCore

/// Reads and writes the reference's on-disk layout: `identifiers.json`, optional
/// `test_puzzles.json`, and per split `dataset.json` plus `all__*.npy` arrays.
public enum ReferenceFormat {
    /// Writes `dataset` under `directory` atomically (a temporary sibling folder, then a rename);
    /// an existing folder is replaced, unless `replaceExisting` is false (then the existing folder
    /// is kept and the new copy discarded).
    public static func write(_ dataset: PuzzleDataset, to directory: URL, replaceExisting: Bool = true) throws {
        try writeFolder(to: directory, replaceExisting: replaceExisting) { try writeContents(dataset, into: $0, compressed: false) }
    }

    /// Fills a temporary sibling of `directory` with `fill`, then renames it into place, so readers
    /// see either no folder or a complete one. `replaceExisting` as in `write(_:to:replaceExisting:)`.
    static func writeFolder(to directory: URL, replaceExisting: Bool, fill: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let parent = directory.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let temp = parent.appendingPathComponent(".\(directory.lastPathComponent).tmp-\(UUID().uuidString)")
        try fm.createDirectory(at: temp, withIntermediateDirectories: true)
        do {
            try fill(temp)
            if fm.fileExists(atPath: directory.path) {
                if !replaceExisting { try? fm.removeItem(at: temp); return }
                try fm.removeItem(at: directory)
            }
            do {
                try fm.moveItem(at: temp, to: directory)
            } catch  where !replaceExisting && fm.fileExists(atPath: directory.path) {
                // Another process wrote the same entry meanwhile; its copy is as good as ours.
                try? fm.removeItem(at: temp)
            }
        } catch {
            try? fm.removeItem(at: temp)
            throw error
        }
    }

    /// Writes the files of `dataset` into the existing folder `dir`; `compressed` stores each array
    /// as a gzip-compressed `.npy.gz` (the dataset cache's form, which `read` also accepts).
    static func writeContents(_ dataset: PuzzleDataset, into dir: URL, compressed: Bool) throws {
        let ids = try JSONSerialization.data(withJSONObject: dataset.identifiers, options: [])
        try ids.write(to: dir.appendingPathComponent("identifiers.json"))
        if let tp = dataset.testPuzzlesJSON { try tp.write(to: dir.appendingPathComponent("test_puzzles.json")) }
        for (name, split) in [("train", dataset.train), ("test", dataset.test)] {
            try writeSplit(split, to: dir.appendingPathComponent(name), compressed: compressed)
        }
    }

    static func writeSplit(_ split: PuzzleSplit, to dir: URL, compressed: Bool) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(split.metadata.jsonText().utf8).write(to: dir.appendingPathComponent("dataset.json"))
        let s = split.metadata.seqLen
        let n = split.exampleCount
        func store(_ field: String, _ array: @autoclosure () -> NpyArray, streaming values: [UInt8]? = nil) throws {
            let url = dir.appendingPathComponent("all__\(field).npy")
            if compressed {
                try Gzip.compress(array().encoded(), level: compressionLevel).write(to: url.appendingPathExtension("gz"))
            } else if let values {
                try NpyArray.write(values, dtype: "|u1", shape: [n, s], to: url)
            } else {
                try array().write(to: url)
            }
        }
        try store("inputs", NpyArray(uint8: split.inputs, shape: [n, s]), streaming: split.inputs)
        try store("labels", NpyArray(uint8: split.labels, shape: [n, s]), streaming: split.labels)
        try store("puzzle_identifiers", NpyArray(int32: split.puzzleIdentifiers, shape: [split.puzzleCount]))
        try store("puzzle_indices", NpyArray(int32: split.puzzleIndices, shape: [split.puzzleIndices.count]))
        try store("group_indices", NpyArray(int32: split.groupIndices, shape: [split.groupIndices.count]))
        if let d = split.difficulty { try store("difficulty", NpyArray(int32: d, shape: [d.count])) }
    }

    /// zlib level for compressed arrays: token arrays shrink several-fold already at the fastest
    /// level, and building a large cache entry should not wait on the compressor.
    static let compressionLevel: Int32 = 1

    /// Reads a dataset written here or by the reference builders (any integer dtype). A missing
    /// `identifiers.json` is treated as `["<blank>"]`.
    public static func read(_ directory: URL) throws -> PuzzleDataset {
        let fm = FileManager.default
        guard
            fm.fileExists(atPath: directory.appendingPathComponent("train/dataset.json").path)
                || fm.fileExists(atPath: directory.appendingPathComponent("test/dataset.json").path)
        else {
            throw DatasetUsageError(
                "\(directory.path) is not a puzzle dataset folder (no train/dataset.json or test/dataset.json); build one with `trm-exp data build`")
        }
        var identifiers = ["<blank>"]
        let idURL = directory.appendingPathComponent("identifiers.json")
        if fm.fileExists(atPath: idURL.path) {
            guard let list = try JSONSerialization.jsonObject(with: Data(contentsOf: idURL)) as? [String] else {
                throw DatasetError(file: idURL.path, location: "top level", problem: .malformed("expected a JSON list of strings"))
            }
            identifiers = list
        }
        let tpURL = directory.appendingPathComponent("test_puzzles.json")
        let testPuzzles = fm.fileExists(atPath: tpURL.path) ? try Data(contentsOf: tpURL) : nil
        let train = try readSplit(directory.appendingPathComponent("train"))
        let test = try readSplit(directory.appendingPathComponent("test"))
        return PuzzleDataset(identifiers: identifiers, train: train, test: test, testPuzzlesJSON: testPuzzles)
    }

    /// Reads one split folder; a missing folder gives an empty split.
    public static func readSplit(_ dir: URL, set: String = "all") throws -> PuzzleSplit {
        let metaURL = dir.appendingPathComponent("dataset.json")
        guard FileManager.default.fileExists(atPath: metaURL.path) else {
            return PuzzleSplit(
                metadata: PuzzleDatasetMetadata(
                    vocabSize: 0, seqLen: 0, numPuzzleIdentifiers: 1, totalGroups: 0, meanPuzzleExamples: 0, totalPuzzles: 0),
                inputs: [], labels: [], puzzleIdentifiers: [], puzzleIndices: [0], groupIndices: [0])
        }
        let metadata: PuzzleDatasetMetadata
        do {
            metadata = try JSONDecoder().decode(PuzzleDatasetMetadata.self, from: Data(contentsOf: metaURL))
        } catch {
            throw DatasetError(file: metaURL.path, location: "top level", problem: .malformed("not a valid dataset.json: \(error)"))
        }
        func array(_ field: String) throws -> NpyArray {
            guard let array = try readArray(dir.appendingPathComponent("\(set)__\(field).npy")) else {
                throw DatasetError(
                    file: dir.appendingPathComponent("\(set)__\(field).npy").path, location: "file", problem: .malformed("missing array \(field)"))
            }
            return array
        }
        let inputs = try array("inputs"), labels = try array("labels")
        guard inputs.shape.count == 2, inputs.shape[1] == metadata.seqLen, labels.shape == inputs.shape else {
            throw DatasetError(
                file: dir.appendingPathComponent("\(set)__inputs.npy").path, location: "header",
                problem: .malformed("inputs/labels shapes \(inputs.shape)/\(labels.shape) do not match seq_len \(metadata.seqLen)"))
        }
        var difficulty: [Int32]? = nil
        if let d = try readArray(dir.appendingPathComponent("\(set)__difficulty.npy")) { difficulty = try d.int32Values() }
        let split = PuzzleSplit(
            metadata: metadata, inputs: try inputs.uint8Values(), labels: try labels.uint8Values(),
            puzzleIdentifiers: try array("puzzle_identifiers").int32Values(),
            puzzleIndices: try array("puzzle_indices").int32Values(),
            groupIndices: try array("group_indices").int32Values(), difficulty: difficulty)
        try split.validate()
        return split
    }

    /// The array at `url`, or else at `url` + `.gz` (gzip-compressed, as the dataset cache stores
    /// it); nil when neither exists. A damaged compressed file is reported with its path.
    static func readArray(_ url: URL) throws -> NpyArray? {
        let fm = FileManager.default
        if fm.fileExists(atPath: url.path) { return try NpyArray.read(url) }
        let gz = url.appendingPathExtension("gz")
        guard fm.fileExists(atPath: gz.path) else { return nil }
        do {
            return try NpyArray.decode(try Gzip.decompress(try Data(contentsOf: gz)))
        } catch {
            throw DatasetError(file: gz.path, location: "file", problem: .malformed("cannot read the compressed array: \(error)"))
        }
    }
}

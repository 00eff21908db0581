import Foundation
import TRMCore

/// Reads and writes the reference's on-disk layout: `identifiers.json`, optional
/// `test_puzzles.json`, and per split `dataset.json` plus `all__*.npy` arrays.
public enum ReferenceFormat {
    /// Writes `dataset` under `directory` atomically (a temporary sibling folder, then a rename);
    /// an existing folder is replaced, unless `replaceExisting` is false (then the existing folder
    /// is kept and the new copy discarded).
    public static func write(_ dataset: PuzzleDataset, to directory: URL, replaceExisting: Bool = true) throws {
        let fm = FileManager.default
        let parent = directory.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let temp = parent.appendingPathComponent(".\(directory.lastPathComponent).tmp-\(UUID().uuidString)")
        try fm.createDirectory(at: temp, withIntermediateDirectories: true)
        do {
            let ids = try JSONSerialization.data(withJSONObject: dataset.identifiers, options: [])
            try ids.write(to: temp.appendingPathComponent("identifiers.json"))
            if let tp = dataset.testPuzzlesJSON { try tp.write(to: temp.appendingPathComponent("test_puzzles.json")) }
            for (name, split) in [("train", dataset.train), ("test", dataset.test)] {
                try writeSplit(split, to: temp.appendingPathComponent(name))
            }
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

    static func writeSplit(_ split: PuzzleSplit, to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(split.metadata.jsonText().utf8).write(to: dir.appendingPathComponent("dataset.json"))
        let s = split.metadata.seqLen
        let n = split.exampleCount
        try NpyArray.write(split.inputs, dtype: "|u1", shape: [n, s], to: dir.appendingPathComponent("all__inputs.npy"))
        try NpyArray.write(split.labels, dtype: "|u1", shape: [n, s], to: dir.appendingPathComponent("all__labels.npy"))
        try NpyArray(int32: split.puzzleIdentifiers, shape: [split.puzzleCount]).write(to: dir.appendingPathComponent("all__puzzle_identifiers.npy"))
        try NpyArray(int32: split.puzzleIndices, shape: [split.puzzleIndices.count]).write(to: dir.appendingPathComponent("all__puzzle_indices.npy"))
        try NpyArray(int32: split.groupIndices, shape: [split.groupIndices.count]).write(to: dir.appendingPathComponent("all__group_indices.npy"))
        if let d = split.difficulty {
            try NpyArray(int32: d, shape: [d.count]).write(to: dir.appendingPathComponent("all__difficulty.npy"))
        }
    }

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
            let url = dir.appendingPathComponent("\(set)__\(field).npy")
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw DatasetError(file: url.path, location: "file", problem: .malformed("missing array \(field)"))
            }
            return try NpyArray.read(url)
        }
        let inputs = try array("inputs"), labels = try array("labels")
        guard inputs.shape.count == 2, inputs.shape[1] == metadata.seqLen, labels.shape == inputs.shape else {
            throw DatasetError(
                file: dir.appendingPathComponent("\(set)__inputs.npy").path, location: "header",
                problem: .malformed("inputs/labels shapes \(inputs.shape)/\(labels.shape) do not match seq_len \(metadata.seqLen)"))
        }
        var difficulty: [Int32]? = nil
        let dURL = dir.appendingPathComponent("\(set)__difficulty.npy")
        if FileManager.default.fileExists(atPath: dURL.path) { difficulty = try NpyArray.read(dURL).int32Values() }
        let split = PuzzleSplit(
            metadata: metadata, inputs: try inputs.uint8Values(), labels: try labels.uint8Values(),
            puzzleIdentifiers: try array("puzzle_identifiers").int32Values(),
            puzzleIndices: try array("puzzle_indices").int32Values(),
            groupIndices: try array("group_indices").int32Values(), difficulty: difficulty)
        try split.validate()
        return split
    }
}

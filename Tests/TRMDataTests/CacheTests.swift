import Foundation
import TRMCore
import Testing

@testable import TRMData

@Suite struct CacheTests {
    private let csv = TestData.sudokuSample
    private let options = SudokuBuildOptions(numAug: 1, seed: 3)

    private func entry() throws -> DatasetCache.Entry {
        let (dataset, reports) = try SudokuDatasetBuilder.build(trainCSV: csv, testCSV: csv, options: options)
        return DatasetCache.Entry(dataset: dataset, reports: reports)
    }

    @Test func cacheBuildsOnceAndKeysOnInputs() throws {
        let root = TestData.temporaryDirectory()
        let cache = DatasetCache(root: root)
        let key = try DatasetCache.key(kind: "sudoku", sourceFiles: [csv, csv], options: options, seed: 3)
        var builds = 0
        let build = {
            builds += 1
            return try entry()
        }
        let first = try cache.entry(key: key, build: build)
        let second = try cache.entry(key: key, build: build)
        #expect(builds == 1)
        #expect(first.outcome == .built && second.outcome == .hit)
        #expect(first.entry == second.entry)
        #expect(try DatasetCache.key(kind: "sudoku", sourceFiles: [csv, csv], options: options, seed: 4) != key)
        #expect(try DatasetCache.key(kind: "sudoku", sourceFiles: [csv, csv], options: SudokuBuildOptions(numAug: 2, seed: 3), seed: 3) != key)
        #expect(try DatasetCache.key(kind: "maze", sourceFiles: [csv, csv], options: options, seed: 3) != key)
        #expect(try DatasetCache.key(kind: "sudoku", sourceFiles: [csv, TestData.mazeSample], options: options, seed: 3) != key)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == [key])
    }

    /// The key follows the bytes of a source file, not its name: the same file rewritten in place
    /// with one row changed is a new entry, and rewritten unchanged is still a hit.
    @Test func aSourceEditedInPlaceIsRebuiltAndAnUnchangedOneIsRead() throws {
        let folder = TestData.temporaryDirectory()
        let file = folder.appendingPathComponent("puzzles.csv")
        var lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").map(String.init).prefix(9)
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: false, encoding: .utf8)
        let recipe = DatasetRecipe(kind: .sudoku, source: .csv(train: file.path, test: file.path), seed: 3, sudoku: options)
        let cache = DatasetCache(root: folder.appendingPathComponent("cache"))
        let first = try recipe.build(cache: cache)
        #expect(first.outcome == .built)

        // Unchanged bytes written again in place (a new modification time): the same entry.
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: false, encoding: .utf8)
        let unchanged = try recipe.build(cache: cache)
        #expect(unchanged.outcome == .hit && unchanged.folder == first.folder)

        // One row replaced by another puzzle of the sample, same file name and path: a new key, built.
        let sample = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[4] = sample[20]
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: false, encoding: .utf8)
        let edited = try recipe.build(cache: cache)
        #expect(edited.outcome == .built && edited.folder != first.folder)
        #expect(edited.dataset.train.exampleCount == first.dataset.train.exampleCount && edited.dataset != first.dataset)
        #expect(try recipe.build(cache: cache).outcome == .hit)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.root.path).count == 2)
    }

    @Test func entriesAreGzipCompressedAndReadBackIdentical() throws {
        let cache = DatasetCache(root: TestData.temporaryDirectory())
        let built = try cache.entry(key: "k", build: entry).entry
        let split = cache.folder(for: "k").appendingPathComponent("train")
        let files = try FileManager.default.contentsOfDirectory(atPath: split.path).sorted()
        #expect(files.filter { $0.hasSuffix(".npy") }.isEmpty)
        #expect(files.contains("all__inputs.npy.gz") && files.contains("all__labels.npy.gz") && files.contains("all__difficulty.npy.gz"))
        let stored = try Data(contentsOf: split.appendingPathComponent("all__inputs.npy.gz"))
        #expect(Array(stored.prefix(2)) == [0x1F, 0x8B])
        let plain = NpyArray(uint8: built.dataset.train.inputs, shape: [built.dataset.train.exampleCount, 81]).encoded()
        #expect(stored.count * 2 < plain.count)
        #expect(try Gzip.decompress(stored) == plain)
        // The entry is itself a readable dataset folder, and a later read gives the same data and reports.
        #expect(try ReferenceFormat.read(cache.folder(for: "k")) == built.dataset)
        #expect(try cache.load(key: "k") == built)
        #expect(built.reports.map(\.source) == [csv.lastPathComponent, csv.lastPathComponent])
    }

    @Test func aDamagedEntryIsReportedAndRebuilt() throws {
        let cache = DatasetCache(root: TestData.temporaryDirectory())
        let built = try cache.entry(key: "k", build: entry).entry
        let file = cache.folder(for: "k").appendingPathComponent("train/all__labels.npy.gz")
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: file)
        do {
            _ = try cache.load(key: "k")
            Issue.record("a damaged entry was read")
        } catch let error as DatasetUsageError {
            #expect(error.message.contains(cache.folder(for: "k").path) && error.message.contains("all__labels.npy.gz"))
            #expect(error.message.contains("delete that folder"))
        }
        var builds = 0
        let (again, outcome) = try cache.entry(key: "k") {
            builds += 1
            return try entry()
        }
        guard case .rebuilt(let reason) = outcome else {
            Issue.record("expected a rebuild, got \(outcome)")
            return
        }
        #expect(builds == 1 && reason.contains("all__labels.npy.gz"))
        #expect(again == built)
        #expect(try cache.load(key: "k") == built)
    }
}

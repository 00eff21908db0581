import Foundation
import TRMData
import Testing

@testable import TRMExperiment

/// `DatasetPreparation.prepare`, the path `run` and `data build --config` share.
@Suite struct DatasetPreparationTests {
    /// Twelve generated 4×4 puzzles in the published CSV format, then a row with a short question (line 14).
    private func csvWithABadRow(_ folder: TemporaryDirectory) throws -> URL {
        let puzzles = try SudokuGenerator.generate(count: 12, options: SudokuGeneratorOptions(shape: SudokuShape.forSide(4)!, minBlanks: 6), seed: 2)
        let url = folder.path("puzzles.csv")
        try SudokuCSV.write(puzzles, to: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("x,1...,1234,0\n".utf8))
        try handle.close()
        return url
    }

    private func config(_ csv: URL, cache: URL, skipInvalid: Bool) throws -> DatasetConfig {
        let text = """
            {"name": "p", "dataset": {"kind": "sudoku", "source": "csv", "path": "\(csv.path)", "test_path": "\(csv.path)",
             "sudoku_size": "4", "skip_invalid": \(skipInvalid), "cache_dir": "\(cache.path)"}}
            """
        return try ExperimentConfig.resolve(Data(text.utf8)).config.dataset
    }

    @Test func skippedRowsAreReportedWhenBuiltAndWhenCached() throws {
        let folder = try TemporaryDirectory()
        let csv = try csvWithABadRow(folder)
        let dataset = try config(csv, cache: folder.path("cache"), skipInvalid: true)
        var log: [String] = []
        let built = try DatasetPreparation.prepare(dataset, seed: 0) { log.append($0) }
        #expect(!built.cached)
        #expect(built.reports.map(\.itemsSkipped) == [1, 1] && built.reports.map(\.itemsAccepted) == [12, 12])
        #expect(built.dataset.train.exampleCount == 12)
        let entry = try #require(built.cacheFolder)
        #expect(entry.deletingLastPathComponent().lastPathComponent == "cache" && entry.lastPathComponent == built.digest)
        #expect(log.contains { $0.hasPrefix("building the sudoku dataset (csv) into \(entry.path)") })
        #expect(log.filter { $0.hasPrefix("puzzles.csv: read 13, accepted 12, skipped 1\n  skipped: puzzles.csv: line 14: ") }.count == 2)

        var again: [String] = []
        let cached = try DatasetPreparation.prepare(dataset, seed: 0) { again.append($0) }
        #expect(cached.cached && cached.cacheFolder == entry && cached.reports == built.reports)
        #expect(again.filter { $0.contains("skipped: puzzles.csv: line 14") }.count == 2)
        #expect(!again.contains { $0.hasPrefix("building") })
    }

    @Test func withoutSkipInvalidTheBadRowStopsTheBuild() throws {
        let folder = try TemporaryDirectory()
        let csv = try csvWithABadRow(folder)
        let dataset = try config(csv, cache: folder.path("cache"), skipInvalid: false)
        do {
            _ = try DatasetPreparation.prepare(dataset, seed: 0)
            Issue.record("the bad row was accepted")
        } catch let error as DatasetError {
            #expect(error.file == "puzzles.csv" && error.location == "line 14")
        }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: folder.path("cache").path))?.filter { !$0.hasPrefix(".") } ?? [] == [])
    }
}

import Foundation
import Testing

@testable import TRMData

@Suite struct CacheTests {
    @Test func cacheBuildsOnceAndKeysOnInputs() throws {
        let root = TestData.temporaryDirectory()
        let cache = DatasetCache(root: root)
        let csv = TestData.sudokuSample
        let options = SudokuBuildOptions(numAug: 1, seed: 3)
        let key = try DatasetCache.key(kind: "sudoku", sourceFiles: [csv, csv], options: options, seed: 3)
        var builds = 0
        let build = {
            builds += 1
            return try SudokuDatasetBuilder.build(trainCSV: csv, testCSV: csv, options: options).dataset
        }
        let first = try cache.dataset(key: key, build: build)
        let second = try cache.dataset(key: key, build: build)
        #expect(builds == 1)
        #expect(first == second)
        #expect(try DatasetCache.key(kind: "sudoku", sourceFiles: [csv, csv], options: options, seed: 4) != key)
        #expect(try DatasetCache.key(kind: "sudoku", sourceFiles: [csv, csv], options: SudokuBuildOptions(numAug: 2, seed: 3), seed: 3) != key)
        #expect(try DatasetCache.key(kind: "maze", sourceFiles: [csv, csv], options: options, seed: 3) != key)
        #expect(try DatasetCache.key(kind: "sudoku", sourceFiles: [csv, TestData.mazeSample], options: options, seed: 3) != key)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == [key])
    }
}

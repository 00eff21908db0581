import Foundation
import Testing
@testable import TRMData

@Suite struct CacheTests {
    @Test func streamingHashMatchesOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var h = SHA256.Hasher256()
        bytes[0..<3].withUnsafeBytes { h.update($0) }
        bytes[3..<130].withUnsafeBytes { h.update($0) }
        bytes[130...].withUnsafeBytes { h.update($0) }
        #expect(h.finalizeHex() == SHA256.hex(bytes))
        #expect(SHA256.hex(Array(String(repeating: "a", count: 1000).utf8)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

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

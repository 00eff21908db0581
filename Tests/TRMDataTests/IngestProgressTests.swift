import Foundation
import Testing

@testable import TRMData

/// Collects progress reports from any thread.
private final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [DatasetProgress] = []
    var all: [DatasetProgress] { lock.withLock { list } }
    func add(_ p: DatasetProgress) { lock.withLock { list.append(p) } }
}

@Suite struct IngestProgressTests {
    @Test func csvIngestReportsTheFileItsBytesAndRows() throws {
        let reports = Reports()
        let url = TestData.sudokuSample
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        try SudokuCSV.read(url, options: IngestOptions(progress: reports.add, progressInterval: 10)) { _ in }
        let seen = reports.all
        #expect(seen.map(\.items) == [10, 20, 30, 32])
        #expect(seen.allSatisfy { $0.file == url.lastPathComponent && $0.totalBytes == size && $0.totalItems == nil })
        #expect(seen.last?.bytesRead == size)
    }

    @Test func arcLoadingReportsEveryTaskOutOfTheTotal() throws {
        let reports = Reports()
        _ = try ARCLoader.loadSubset(directory: TestData.arcDirectory, name: "evaluation2", options: IngestOptions(progress: reports.add))
        let seen = reports.all
        #expect(seen.map(\.items) == Array(1...120))
        #expect(seen.allSatisfy { $0.file == "arc-agi_evaluation2_challenges.json" && $0.totalItems == 120 })
    }
}

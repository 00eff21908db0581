import Foundation
import Testing

@testable import TRMData

@Suite struct LineReaderTests {
    private func lines(_ url: URL, chunkSize: Int, stopAfter: Int = .max) throws -> [(Int, String, Int)] {
        var out: [(Int, String, Int)] = []
        try LineReader(url: url, chunkSize: chunkSize).forEachLine { number, bytes, read in
            out.append((number, String(decoding: bytes, as: UTF8.self), read))
            return out.count < stopAfter
        }
        return out
    }

    @Test func linesSplitAcrossChunksComeOutWhole() throws {
        let url = TestData.temporaryDirectory().appendingPathComponent("lines.txt")
        // CRLF endings, an empty line, significant spaces, and no newline at the end.
        let text = "ab\ncdef\r\n\n  ghijklm  \r\nlast"
        try Data(text.utf8).write(to: url)
        let expected = ["ab", "cdef", "", "  ghijklm  ", "last"]
        for chunk in [1, 2, 3, 4, 7, 64] {
            let got = try lines(url, chunkSize: chunk)
            #expect(got.map(\.1) == expected, "chunk size \(chunk)")
            #expect(got.map(\.0) == [1, 2, 3, 4, 5])
            #expect(got.last?.2 == text.utf8.count)
            #expect(got.map(\.2) == got.map(\.2).sorted())
        }
        #expect(try lines(url, chunkSize: 3, stopAfter: 2).map(\.1) == ["ab", "cdef"])
    }

    @Test func smallChunksReadTheMazeSampleLikeOneChunk() throws {
        let whole = try lines(TestData.mazeSample, chunkSize: 1 << 22)
        let small = try lines(TestData.mazeSample, chunkSize: 97)
        #expect(whole.count == 25)
        #expect(small.map(\.1) == whole.map(\.1))
        #expect(whole.dropFirst().allSatisfy { $0.1.utf8.count > 1800 })
    }
}

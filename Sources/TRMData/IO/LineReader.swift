import Foundation

/// Streams a text file line by line in fixed-size chunks, so memory stays bounded on huge files.
///
/// Lines are split on `\n`; a trailing `\r` is removed. Nothing else is trimmed (Maze-Hard fields
/// start and end with significant spaces).
struct LineReader {
    let url: URL
    let chunkSize: Int

    init(url: URL, chunkSize: Int = 1 << 22) {
        self.url = url
        self.chunkSize = chunkSize
    }

    /// The file's size, or 0 if unknown.
    var fileSize: Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path)[.size]) as? NSNumber)?.intValue ?? 0
    }

    /// Calls `body(lineNumber, bytes, bytesReadSoFar)` for every line (1-based numbers). Return
    /// `false` from `body` to stop early.
    func forEachLine(_ body: (Int, UnsafeBufferPointer<UInt8>, Int) throws -> Bool) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw DatasetUsageError("cannot open \(url.path): check that the file exists and is readable")
        }
        defer { try? handle.close() }
        var carry: [UInt8] = []
        var lineNumber = 0
        var bytesRead = 0
        while true {
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            bytesRead += chunk.count
            let atEnd = chunk.isEmpty
            if atEnd {
                if !carry.isEmpty {
                    lineNumber += 1
                    let keepGoing = try Self.emit(carry[...], lineNumber, bytesRead, body)
                    _ = keepGoing
                }
                return
            }
            var buffer = carry
            buffer.append(contentsOf: chunk)
            var start = 0
            let stop: Bool = try buffer.withUnsafeBufferPointer { buf in
                var i = 0
                let n = buf.count
                while i < n {
                    if buf[i] == 10 {
                        lineNumber += 1
                        var end = i
                        if end > start && buf[end - 1] == 13 { end -= 1 }
                        let line = UnsafeBufferPointer(rebasing: buf[start..<end])
                        if try !body(lineNumber, line, bytesRead) { return true }
                        start = i + 1
                    }
                    i += 1
                }
                return false
            }
            if stop { return }
            carry = Array(buffer[start...])
        }
    }

    private static func emit(
        _ bytes: ArraySlice<UInt8>, _ number: Int, _ read: Int,
        _ body: (Int, UnsafeBufferPointer<UInt8>, Int) throws -> Bool
    ) throws -> Bool {
        var b = Array(bytes)
        if b.last == 13 { b.removeLast() }
        return try b.withUnsafeBufferPointer { try body(number, $0, read) }
    }
}

/// Writes `data` to `url` atomically: a temporary file beside it, then a rename.
func writeAtomically(_ data: Data, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url, options: .atomic)
}

import Foundation
import Testing

@testable import TRMCore

@Suite struct GzipTests {
    @Test func roundTripIsStandardGzip() throws {
        var generator = SystemRandomNumberGenerator()
        let original = Data((0..<200_000).map { i in i % 7 == 0 ? UInt8.random(in: 0...255, using: &generator) : UInt8(i % 13) })
        let compressed = try Gzip.compress(original)
        #expect(compressed.count < original.count)
        #expect(compressed.prefix(2) == Data([0x1f, 0x8b]))
        #expect(try Gzip.decompress(compressed) == original)
        #expect(try Gzip.decompress(try Gzip.compress(Data())) == Data())
    }

    @Test func gunzipReadsOurOutput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = Data(String(repeating: "tiny recursive model\n", count: 500).utf8)
        let file = directory.appendingPathComponent("a.txt.gz")
        try Gzip.compress(text).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -dc '\(file.path)'"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output == text)
    }

    @Test func refusesTruncatedStream() throws {
        let compressed = try Gzip.compress(Data(repeating: 42, count: 10_000) + Data((0..<5000).map { UInt8($0 % 251) }))
        let error = #expect(throws: GzipError.self) { try Gzip.decompress(compressed.prefix(compressed.count - 6)) }
        #expect(error?.description.contains("truncated") == true)
        let short = #expect(throws: GzipError.self) { try Gzip.decompress(compressed.prefix(10)) }
        #expect(short?.description.contains("too short") == true)
    }

    @Test func refusesCorruptStream() throws {
        let original = Data((0..<50_000).map { UInt8(($0 * 31) % 256) })
        var compressed = try Gzip.compress(original)
        compressed[compressed.count / 2] ^= 0x55
        let error = #expect(throws: GzipError.self) { try Gzip.decompress(compressed) }
        #expect(error?.description.contains("corrupt") == true)

        var badTrailer = try Gzip.compress(original)
        badTrailer[badTrailer.count - 5] ^= 0x01  // inside the CRC-32
        let crc = #expect(throws: GzipError.self) { try Gzip.decompress(badTrailer) }
        #expect(crc?.description.contains("corrupt") == true)

        let notGzip = #expect(throws: GzipError.self) { try Gzip.decompress(Data(repeating: 7, count: 100)) }
        #expect(notGzip?.description.contains("not a gzip stream") == true)
    }
}

@Suite struct SHA256Tests {
    @Test func standardVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
                == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(
            SHA256.hex(Data(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalEqualsOneShot() {
        let data = Data((0..<1000).map { UInt8($0 % 256) })
        var hasher = SHA256()
        for split in stride(from: 0, to: 1000, by: 37) { hasher.update(data[split..<min(split + 37, 1000)]) }
        #expect(hasher.hexDigest() == SHA256.hex(data))
        // Lengths around the padding boundary (55, 56, 64 bytes) take different paths.
        #expect(SHA256.hex(Data(repeating: 0x61, count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }
}

@Suite struct AtomicFileTests {
    @Test func replacesWholeFileAndLeavesNoTemporaries() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("nested/file.bin")
        try AtomicFile.write(Data("first".utf8), to: target)
        #expect(try Data(contentsOf: target) == Data("first".utf8))
        try AtomicFile.write(Data("second, longer".utf8), to: target)
        #expect(try Data(contentsOf: target) == Data("second, longer".utf8))
        let names = try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path)
        #expect(names == ["file.bin"])
    }

    @Test func failureLeavesTargetUntouched() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A directory where the file should go makes the rename fail.
        let target = directory.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: target.appendingPathComponent("child"), withIntermediateDirectories: true)
        let error = #expect(throws: AtomicFileError.self) { try AtomicFile.write(Data("x".utf8), to: target) }
        #expect(error?.description.contains(target.path) == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["occupied"])
    }
}

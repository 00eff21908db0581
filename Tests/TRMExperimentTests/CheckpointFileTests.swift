import Foundation
import TRMCore
import Testing

@testable import TRMExperiment

private func sampleTensors() -> SafeTensorsWriter {
    var writer = SafeTensorsWriter()
    writer.metadata = ["step": "1200", "rng.data": "1234567"]
    writer.add("weights", Tensor(shape: [64, 32], scalars: (0..<2048).map { Float(sin(Double($0))) }))
    writer.add("ids", IntTensor(shape: [3], scalars: [1, 2, 3]))
    return writer
}

@Suite struct CheckpointFileTests {
    @Test func roundTripWithChecksums() throws {
        let directory = try TemporaryDirectory()
        let url = CheckpointFile.url(in: directory.url, step: 1200)
        #expect(url.lastPathComponent == "step-00001200.safetensors.gz")
        let info = try CheckpointFile.write(sampleTensors(), to: url)
        #expect(info.sha256 == SHA256.hex(sampleTensors().serialized()))
        #expect(info.bytes == (try Data(contentsOf: url)).count)
        let file = try CheckpointFile.read(from: url, expectedSHA256: info.sha256)
        #expect(file.metadata["step"] == "1200")
        #expect(try file.tensor("weights") == Tensor(shape: [64, 32], scalars: (0..<2048).map { Float(sin(Double($0))) }))
        #expect(try file.intTensor("ids").scalars == [1, 2, 3])
        // The comment holds the payload checksum.
        #expect(try Gzip.decompressWithComment(Data(contentsOf: url)).comment == "sha256=\(info.sha256)")
    }

    @Test func flippedByteIsRefusedWithPath() throws {
        let directory = try TemporaryDirectory()
        let url = directory.path("ckpt.safetensors.gz")
        let info = try CheckpointFile.write(sampleTensors(), to: url)
        let original = try Data(contentsOf: url)
        // Every position: header, compressed body, trailer. None may load.
        for position in stride(from: 0, to: original.count, by: max(1, original.count / 97)) {
            var damaged = original
            damaged[position] ^= 0x20
            try damaged.write(to: url)
            let error = #expect(throws: CheckpointError.self, "flip at byte \(position)") {
                try CheckpointFile.read(from: url, expectedSHA256: info.sha256)
            }
            #expect(error?.description.contains(url.path) == true)
        }
    }

    @Test func truncatedFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        let url = directory.path("ckpt.safetensors.gz")
        try CheckpointFile.write(sampleTensors(), to: url)
        let original = try Data(contentsOf: url)
        for length in [0, 10, original.count / 2, original.count - 4, original.count - 1] {
            try original.prefix(length).write(to: url)
            let error = #expect(throws: CheckpointError.self) { try CheckpointFile.read(from: url) }
            #expect(error?.description.contains("damaged") == true)
        }
    }

    @Test func recordedChecksumMismatchIsRefused() throws {
        let directory = try TemporaryDirectory()
        let url = directory.path("ckpt.safetensors.gz")
        try CheckpointFile.write(sampleTensors(), to: url)
        let error = #expect(throws: CheckpointError.self) { try CheckpointFile.read(from: url, expectedSHA256: String(repeating: "0", count: 64)) }
        #expect(error?.description.contains("run store recorded") == true)
    }

    @Test func validGzipOfGarbageIsRefused() throws {
        let directory = try TemporaryDirectory()
        let url = directory.path("ckpt.safetensors.gz")
        try Gzip.compress(Data("not safetensors".utf8)).write(to: url)
        let error = #expect(throws: CheckpointError.self) { try CheckpointFile.read(from: url) }
        #expect(error?.description.contains("invalid safetensors") == true)
    }

    @Test func pruningKeepsLastNPlusBest() throws {
        let records = [100, 200, 300, 400, 500].map {
            CheckpointRecord(run_id: "r", step: $0, path: "p\($0)", bytes: 1, sha256: "", is_best: $0 == 200)
        }
        let plan = CheckpointPruning.plan(records, keep: 2)
        #expect(plan.keep.map(\.step) == [200, 400, 500])
        #expect(plan.remove.map(\.step) == [100, 300])
        #expect(CheckpointPruning.plan(records, keep: 0).keep.map(\.step) == [200])
        #expect(CheckpointPruning.plan(records, keep: 10).remove.isEmpty)
    }

    @Test func pruneDeletesFilesAndRecords() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let run = try store.createRun(for: try experiment("prune"))
        let runDirectory = store.runDirectory(for: run.id)
        #expect(runDirectory.path == directory.url.appendingPathComponent(run.id).path)
        for step in [10, 20, 30, 40] {
            let info = try CheckpointFile.write(sampleTensors(), to: CheckpointFile.url(in: runDirectory, step: step))
            try store.recordCheckpoint(
                CheckpointRecord(
                    run_id: run.id, step: step, path: info.path, bytes: info.bytes,
                    sha256: info.sha256, is_best: step == 10))
        }
        #expect(try CheckpointPruning.prune(run: run.id, keep: 1, store: store) == [20, 30])
        #expect(try store.checkpoints(run: run.id).map(\.step) == [10, 40])
        let files = try FileManager.default.contentsOfDirectory(atPath: runDirectory.path).filter { $0.hasSuffix(".gz") }.sorted()
        #expect(files == ["step-00000010.safetensors.gz", "step-00000040.safetensors.gz"])
    }
}

import Foundation
import TRMCore
import TRMData
import TRMExperiment
import TRMModel

/// Dataset throughput and checkpoint costs, printed after the model measurements.
enum OtherBenches {
    struct CheckpointMeasurement: Codable {
        var config: String
        var parameters: Int
        /// float32 bytes of the model's weights (parameters and buffers).
        var rawWeightBytes: Int
        /// The uncompressed checkpoint payload (weights, optimizer moments, carry, metadata).
        var payloadBytes: Int
        /// The file written (gzip).
        var fileBytes: Int
        var writeSeconds: Double
        var readSeconds: Double
    }

    struct DatasetMeasurement: Codable {
        var name: String
        var value: Double
        var unit: String
    }

    static func datasets() -> [DatasetMeasurement] {
        TRMData.runDatasetBenchmarks().map { DatasetMeasurement(name: $0.0, value: $0.1, unit: $0.2) }
    }

    /// Writes and reads a training checkpoint of `bench` (after one step at batch 16), the way a
    /// run does: payload, gzip, atomic write, sha256; then read, verify and parse.
    static func checkpoint(_ bench: BenchConfig) throws -> CheckpointMeasurement {
        let c = bench.config
        let trainer = Trainer(
            parameters: ModelParameters(config: c, seed: 1), batchSize: 16, hyperparameters: TrainingHyperparameters(), explorationSeed: 2)
        trainer.train(on: ModelBench.randomBatch(c, batch: 16, seed: 3))
        let state = BatchSamplerState(seed: 0)
        let payload = try TrainingCheckpoint.payload(
            trainer: trainer, samplerState: state, provenance: .init(runID: "bench", configHash: "-", datasetDigest: "-"), bestMetric: nil)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trm-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = CheckpointFile.url(in: directory, step: 1)
        var writes: [Double] = []
        var reads: [Double] = []
        var info: CheckpointInfo?
        for _ in 0..<3 {
            let t0 = now()
            info = try CheckpointFile.write(payload, to: url)
            writes.append(now() - t0)
            let t1 = now()
            _ = try CheckpointFile.read(from: url, expectedSHA256: info!.sha256)
            reads.append(now() - t1)
        }
        let parameters = trainer.network.parameters
        let raw = 4 * (parameters.values.count + parameters.puzzleTable.count + parameters.hInit.count + parameters.lInit.count)
        return CheckpointMeasurement(
            config: bench.name, parameters: parameters.parameterCount, rawWeightBytes: raw, payloadBytes: payload.serialized().count,
            fileBytes: info!.bytes, writeSeconds: median(writes), readSeconds: median(reads))
    }
}

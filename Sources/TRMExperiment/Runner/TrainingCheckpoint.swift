import Foundation
import TRMCore
import TRMData
import TRMModel

/// Everything a run needs to continue exactly where it stopped, as one safetensors payload:
/// the model under the reference's state_dict names, EMA weights under `ema.`, optimizer moments,
/// the ACT carry under `state.`, and as string metadata the model config, the step, the random
/// generators' states and the sampler's position.
public enum TrainingCheckpoint {
    /// Metadata keys of the training state (beyond `RunCheckpointLayout`'s).
    static let explorationKey = "trm.exploration_rng"
    static let samplerKey = "trm.sampler"
    static let bestMetricKey = "trm.best_metric"
    static let trainingLogKey = "trm.training_log"

    /// Where a checkpoint comes from, written as metadata.
    public struct Provenance: Sendable {
        /// Id of the run writing the checkpoint.
        public var runID: String
        /// SHA-256 of the run's resolved config.
        public var configHash: String
        /// Content digest of the run's dataset.
        public var datasetDigest: String

        /// Provenance of run `runID` with its config hash and dataset digest.
        public init(runID: String, configHash: String, datasetDigest: String) {
            self.runID = runID
            self.configHash = configHash
            self.datasetDigest = datasetDigest
        }
    }

    /// The payload of a checkpoint of `trainer` with the sampler at `samplerState`.
    public static func payload(trainer: Trainer, samplerState: BatchSamplerState, provenance: Provenance, bestMetric: Double?) throws
        -> SafeTensorsWriter
    {
        let network = trainer.network
        let parameters = network.parameters
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        var writer = try RunCheckpointLayout.writer(
            for: parameters,
            metadata: [
                RunCheckpointLayout.runIDKey: provenance.runID,
                RunCheckpointLayout.stepKey: "\(trainer.step)",
                RunCheckpointLayout.configHashKey: provenance.configHash,
                RunCheckpointLayout.datasetDigestKey: provenance.datasetDigest,
                RunCheckpointLayout.versionKey: TRMExperiment.version,
                explorationKey: try json(trainer.exploration),
                samplerKey: try json(samplerState),
            ])
        if let bestMetric { writer.metadata[bestMetricKey] = "\(bestMetric)" }
        if let ema = trainer.ema {
            for (name, tensor) in StateDict.tensors(of: parameters, values: ema.shadow) where parameters.layout.entry(named: name) != nil {
                writer.add(RunCheckpointLayout.emaPrefix + name, tensor)
            }
        }
        let count = parameters.layout.count
        writer.add(RunCheckpointLayout.statePrefix + "optimizer.m", Tensor(shape: [count], scalars: trainer.optimizer.m.array))
        writer.add(RunCheckpointLayout.statePrefix + "optimizer.v", Tensor(shape: [count], scalars: trainer.optimizer.v.array))
        let carry = trainer.carry
        let c = parameters.config
        let b = carry.batchSize
        writer.add(RunCheckpointLayout.statePrefix + "carry.z_H", Tensor(shape: [c.totalLength, b, c.hidden_size], scalars: carry.zH.array))
        writer.add(RunCheckpointLayout.statePrefix + "carry.z_L", Tensor(shape: [c.totalLength, b, c.hidden_size], scalars: carry.zL.array))
        writer.add(RunCheckpointLayout.statePrefix + "carry.steps", IntTensor(shape: [b], scalars: carry.steps.map(Int64.init)))
        writer.add(RunCheckpointLayout.statePrefix + "carry.halted", IntTensor(shape: [b], scalars: carry.halted.map { $0 ? 1 : 0 }))
        writer.add(RunCheckpointLayout.statePrefix + "carry.inputs", IntTensor(shape: [b, c.seq_len], scalars: carry.current.inputs.map(Int64.init)))
        writer.add(RunCheckpointLayout.statePrefix + "carry.labels", IntTensor(shape: [b, c.seq_len], scalars: carry.current.labels.map(Int64.init)))
        writer.add(
            RunCheckpointLayout.statePrefix + "carry.puzzle_identifiers",
            IntTensor(shape: [b], scalars: carry.current.puzzleIdentifiers.map(Int64.init)))
        return writer
    }

    /// Restores a trainer and sampler from a checkpoint written by `payload`.
    /// - Throws: when the checkpoint belongs to another model shape or misses a tensor.
    static func restore(_ file: SafeTensors, into trainer: Trainer, sampler: inout BatchSampler) throws {
        let network = trainer.network
        let parameters = network.parameters
        guard try RunCheckpointLayout.modelConfig(of: file, source: "the checkpoint") == parameters.config else {
            throw CheckpointError("the checkpoint was written for a different model configuration; it cannot resume this run")
        }
        try StateDict.load(file, into: parameters)
        if let ema = trainer.ema {
            for entry in parameters.layout.entries {
                ema.shadow.copy(from: try file.tensor(RunCheckpointLayout.emaPrefix + entry.name, shape: entry.shape).scalars, offset: entry.offset)
            }
        }
        let count = parameters.layout.count
        trainer.optimizer.m.copy(from: try file.tensor(RunCheckpointLayout.statePrefix + "optimizer.m", shape: [count]).scalars)
        trainer.optimizer.v.copy(from: try file.tensor(RunCheckpointLayout.statePrefix + "optimizer.v", shape: [count]).scalars)
        let carry = trainer.carry
        carry.zH.copy(from: try file.tensor(RunCheckpointLayout.statePrefix + "carry.z_H").scalars)
        carry.zL.copy(from: try file.tensor(RunCheckpointLayout.statePrefix + "carry.z_L").scalars)
        carry.steps = try file.intTensor(RunCheckpointLayout.statePrefix + "carry.steps").scalars.map { Int32($0) }
        carry.halted = try file.intTensor(RunCheckpointLayout.statePrefix + "carry.halted").scalars.map { $0 != 0 }
        carry.current = TokenBatch(
            inputs: try file.intTensor(RunCheckpointLayout.statePrefix + "carry.inputs").scalars.map { Int32($0) },
            labels: try file.intTensor(RunCheckpointLayout.statePrefix + "carry.labels").scalars.map { Int32($0) },
            puzzleIdentifiers: try file.intTensor(RunCheckpointLayout.statePrefix + "carry.puzzle_identifiers").scalars.map { Int32($0) })
        guard let stepText = file.metadata[RunCheckpointLayout.stepKey], let step = Int(stepText),
            let rngText = file.metadata[explorationKey], let samplerText = file.metadata[samplerKey]
        else { throw CheckpointError("the checkpoint lacks its step or generator states; it cannot resume a run") }
        trainer.restore(step: step)
        trainer.exploration = try JSONDecoder().decode(RandomGenerator.self, from: Data(rngText.utf8))
        let samplerState = try JSONDecoder().decode(BatchSamplerState.self, from: Data(samplerText.utf8))
        sampler = BatchSampler(
            split: sampler.split, batchSize: sampler.batchSize, seed: samplerState.seed, state: samplerState, augmentation: sampler.augmentation,
            curriculum: sampler.curriculum)
    }
}

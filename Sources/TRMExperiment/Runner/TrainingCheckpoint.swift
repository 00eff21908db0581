import Foundation
import TRMCore
import TRMData
import TRMModel

/// Everything a run needs to continue exactly where it stopped, as one safetensors payload:
/// the model under the reference's state_dict names, EMA weights under `ema.`, optimizer moments,
/// the ACT carry under `state.`, and as string metadata the model config, the step, the random
/// generators' states and the sampler's position.
enum TrainingCheckpoint {
    struct Provenance {
        var runID: String
        var configHash: String
        var datasetDigest: String
    }

    static func payload(trainer: Trainer, sampler: BatchSampler, provenance: Provenance, bestMetric: Double?) throws -> SafeTensorsWriter {
        let network = trainer.network
        let parameters = network.parameters
        var writer = SafeTensorsWriter()
        for (name, tensor) in StateDict.tensors(of: parameters) { writer.add(name, tensor) }
        if let ema = trainer.ema {
            for (name, tensor) in StateDict.tensors(of: parameters, values: ema.shadow) where parameters.layout.entry(named: name) != nil {
                writer.add("ema." + name, tensor)
            }
        }
        let count = parameters.layout.count
        writer.add("state.optimizer.m", Tensor(shape: [count], scalars: trainer.optimizer.m.array))
        writer.add("state.optimizer.v", Tensor(shape: [count], scalars: trainer.optimizer.v.array))
        let carry = trainer.carry
        let c = parameters.config
        let b = carry.batchSize
        writer.add("state.carry.z_H", Tensor(shape: [c.totalLength, b, c.hidden_size], scalars: carry.zH.array))
        writer.add("state.carry.z_L", Tensor(shape: [c.totalLength, b, c.hidden_size], scalars: carry.zL.array))
        writer.add("state.carry.steps", IntTensor(shape: [b], scalars: carry.steps.map(Int64.init)))
        writer.add("state.carry.halted", IntTensor(shape: [b], scalars: carry.halted.map { $0 ? 1 : 0 }))
        writer.add("state.carry.inputs", IntTensor(shape: [b, c.seq_len], scalars: carry.current.inputs.map(Int64.init)))
        writer.add("state.carry.labels", IntTensor(shape: [b, c.seq_len], scalars: carry.current.labels.map(Int64.init)))
        writer.add("state.carry.puzzle_identifiers", IntTensor(shape: [b], scalars: carry.current.puzzleIdentifiers.map(Int64.init)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        writer.metadata = [
            "trm.model_config": try json(c),
            "trm.run_id": provenance.runID,
            "trm.step": "\(trainer.step)",
            "trm.config_hash": provenance.configHash,
            "trm.dataset_digest": provenance.datasetDigest,
            "trm.version": TRMExperiment.version,
            "trm.exploration_rng": try json(trainer.exploration),
            "trm.sampler": try json(sampler.state),
        ]
        if let bestMetric { writer.metadata["trm.best_metric"] = "\(bestMetric)" }
        return writer
    }

    /// Restores a trainer and sampler from a checkpoint written by `payload`.
    /// - Throws: when the checkpoint belongs to another model shape or misses a tensor.
    static func restore(_ file: SafeTensors, into trainer: Trainer, sampler: inout BatchSampler) throws {
        let network = trainer.network
        let parameters = network.parameters
        guard let configJSON = file.metadata["trm.model_config"],
            let saved = try? JSONDecoder().decode(TRMConfig.self, from: Data(configJSON.utf8)), saved == parameters.config
        else { throw CheckpointError("the checkpoint was written for a different model configuration; it cannot resume this run") }
        try StateDict.load(file, into: parameters)
        if let ema = trainer.ema {
            for entry in parameters.layout.entries {
                ema.shadow.copy(from: try file.tensor("ema." + entry.name, shape: entry.shape).scalars, offset: entry.offset)
            }
        }
        let count = parameters.layout.count
        trainer.optimizer.m.copy(from: try file.tensor("state.optimizer.m", shape: [count]).scalars)
        trainer.optimizer.v.copy(from: try file.tensor("state.optimizer.v", shape: [count]).scalars)
        let carry = trainer.carry
        carry.zH.copy(from: try file.tensor("state.carry.z_H").scalars)
        carry.zL.copy(from: try file.tensor("state.carry.z_L").scalars)
        carry.steps = try file.intTensor("state.carry.steps").scalars.map { Int32($0) }
        carry.halted = try file.intTensor("state.carry.halted").scalars.map { $0 != 0 }
        carry.current = TokenBatch(
            inputs: try file.intTensor("state.carry.inputs").scalars.map { Int32($0) },
            labels: try file.intTensor("state.carry.labels").scalars.map { Int32($0) },
            puzzleIdentifiers: try file.intTensor("state.carry.puzzle_identifiers").scalars.map { Int32($0) })
        guard let stepText = file.metadata["trm.step"], let step = Int(stepText),
            let rngText = file.metadata["trm.exploration_rng"], let samplerText = file.metadata["trm.sampler"]
        else { throw CheckpointError("the checkpoint lacks its step or generator states; it cannot resume a run") }
        trainer.restore(step: step)
        trainer.exploration = try JSONDecoder().decode(RandomGenerator.self, from: Data(rngText.utf8))
        let samplerState = try JSONDecoder().decode(BatchSamplerState.self, from: Data(samplerText.utf8))
        sampler = BatchSampler(split: sampler.split, batchSize: sampler.batchSize, seed: samplerState.seed, state: samplerState)
    }
}

import Foundation
import TRMCore
import TRMModel

/// The content convention of a run checkpoint: model tensors under their reference state_dict
/// names, EMA copies of the parameters under `ema.` + name, optimiser and other state under
/// `state.` names, and string metadata under the keys below. The training loop writes it;
/// export, import and evaluation read it.
public enum RunCheckpointLayout {
    /// JSON of the `TRMConfig` (reference field names).
    public static let modelConfigKey = "trm.model_config"
    /// Id of the run that wrote the checkpoint.
    public static let runIDKey = "trm.run_id"
    /// Optimiser step at which the checkpoint was taken, as decimal text.
    public static let stepKey = "trm.step"
    /// SHA-256 of the run's resolved config, to check a resume uses the same config.
    public static let configHashKey = "trm.config_hash"
    /// Content digest of the run's dataset, to check a resume uses the same data.
    public static let datasetDigestKey = "trm.dataset_digest"
    /// trm-exp version that wrote the checkpoint.
    public static let versionKey = "trm.version"
    /// Prefix of the EMA copy of each parameter.
    public static let emaPrefix = "ema."
    /// Prefix of optimiser and other training state.
    public static let statePrefix = "state."

    /// The model config a checkpoint was written with.
    /// - Throws: `CheckpointError` when the metadata is missing or not a valid config.
    public static func modelConfig(of file: SafeTensors, source: String) throws -> TRMConfig {
        guard let json = file.metadata[modelConfigKey] else {
            throw CheckpointError(
                "\(source) has no \(modelConfigKey) metadata; it was not written by a trm-exp run (use `trm-exp import` with --config)")
        }
        do { return try JSONDecoder().decode(TRMConfig.self, from: Data(json.utf8)) } catch {
            throw CheckpointError("\(source): \(modelConfigKey) is not a valid model config: \(error)")
        }
    }

    /// Whether the checkpoint holds EMA weights.
    public static func hasEMA(_ file: SafeTensors) -> Bool {
        file.names.contains { $0.hasPrefix(emaPrefix) }
    }

    /// The model's weights: the reference tensors, with the parameters replaced by their EMA
    /// copies when `ema` is set (buffers — H_init, L_init, the puzzle table — stay the live ones,
    /// as in the reference's EMA model).
    /// - Throws: when a tensor is missing or mis-shaped, or `ema` is asked of a file without EMA.
    public static func parameters(from file: SafeTensors, config: TRMConfig, ema: Bool, source: String) throws -> ModelParameters {
        let parameters = ModelParameters(config: config)
        do {
            try StateDict.load(file, into: parameters)
            if ema {
                guard hasEMA(file) else {
                    throw CheckpointError("\(source) holds no EMA weights (the run trained without training.ema); drop --ema")
                }
                for entry in parameters.layout.entries {
                    parameters.values.copy(from: try file.tensor(emaPrefix + entry.name, shape: entry.shape).scalars, offset: entry.offset)
                }
            }
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw CheckpointError("\(source): \(error)")
        }
        return parameters
    }

    /// A checkpoint payload with the model's tensors and the given metadata (no EMA or state).
    public static func writer(for parameters: ModelParameters, metadata: [String: String]) throws -> SafeTensorsWriter {
        var writer = SafeTensorsWriter()
        for (name, tensor) in StateDict.tensors(of: parameters) { writer.add(name, tensor) }
        writer.metadata = metadata
        writer.metadata[modelConfigKey] = try modelConfigJSON(parameters.config)
        return writer
    }

    /// The model config as compact JSON with sorted keys.
    public static func modelConfigJSON(_ config: TRMConfig) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(config), as: UTF8.self)
    }
}

import Foundation
import TRMCore
import TRMModel

/// Float type of exported tensors.
public enum ExportDType: String, Sendable, CaseIterable {
    /// Everything float32 (lossless; H_init/L_init included). The default.
    case f32
    /// Every float tensor bfloat16 (half the size; what official runs compute in).
    case bf16

    var safetensors: SafeTensorsDType { self == .f32 ? .f32 : .bf16 }
}

/// Which checkpoint of a run to use.
public enum CheckpointSelector: Sendable, Equatable {
    /// The checkpoint with the highest step, or the one marked best (`is_best`).
    case latest, best
    /// The checkpoint taken at this optimiser step.
    case step(Int)

    /// Parses "latest", "best" or a step number; nil otherwise.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "latest", "last": self = .latest
        case "best": self = .best
        default:
            guard let step = Int(text), step >= 0 else { return nil }
            self = .step(step)
        }
    }

    /// Picks the record from a run's checkpoints.
    /// - Throws: `CheckpointError` naming the steps that exist.
    public func select(from records: [CheckpointRecord], run: String) throws -> CheckpointRecord {
        guard !records.isEmpty else {
            throw CheckpointError("run \(run) has no checkpoints yet; wait for the first evaluation or train longer")
        }
        let found: CheckpointRecord?
        switch self {
        case .latest: found = records.max { $0.step < $1.step }
        case .best: found = records.first(where: \.is_best)
        case .step(let step): found = records.first { $0.step == step }
        }
        guard let found else {
            throw CheckpointError(
                "run \(run) has no \(self == .best ? "best" : "such") checkpoint; it has steps \(records.map { String($0.step) }.joined(separator: ", "))"
            )
        }
        return found
    }
}

/// Writes a run's weights as a plain safetensors file with the reference's state_dict names, so
/// the official PyTorch model loads them with `load_state_dict(strict=True)`, plus a sidecar
/// `FILE.config.json` with the architecture config that model is built from.
public enum WeightsExport {
    /// What to export and how.
    public struct Options: Sendable {
        /// Which checkpoint of the run to export (default the latest).
        public var checkpoint: CheckpointSelector = .latest
        /// Replace the parameters by their EMA copies.
        public var ema = false
        /// Float type of the written tensors (default float32).
        public var dtype: ExportDType = .f32
        /// Put before every tensor name, e.g. `_orig_mod.model.` as in official checkpoints.
        public var keyPrefix = ""
        /// `forward_dtype` written to the sidecar config.
        public var forwardDtype = "float32"

        /// The defaults: latest checkpoint, trained weights, float32, bare names.
        public init() {}
    }

    /// What was written.
    public struct Result: Sendable {
        /// The run whose weights were exported.
        public var run: RunRecord
        /// Optimiser step of the exported checkpoint.
        public var step: Int
        /// Path of the safetensors file written.
        public var path: String
        /// Path of the sidecar `FILE.config.json` written.
        public var configPath: String
        /// Tensor names in file order.
        public var names: [String]
        /// Number of trained parameter values of the exported model.
        public var parameterCount: Int
        /// The exported model's configuration.
        public var config: TRMConfig
    }

    /// What a user of the reference code must change to build `config`, or nil when it builds as
    /// exported: the reference rounds SwiGLU widths up to multiples of 256 only.
    public static func referenceCaveat(for config: TRMConfig) -> String? {
        let reference = TRMConfig.referenceSwiGLUMultiple
        guard config.swiglu_multiple != reference else { return nil }
        return "swiglu_multiple is \(config.swiglu_multiple): the reference code rounds SwiGLU widths up to a multiple of \(reference), "
            + "so it builds this model only with that \(reference) changed to \(config.swiglu_multiple)"
    }

    /// The sidecar path of an export: `FILE.config.json`.
    public static func configURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".config.json")
    }

    /// Exports one checkpoint of a run.
    /// - Throws: `RunStoreError`/`CheckpointError` saying which run, checkpoint or file is wrong.
    @discardableResult
    public static func export(run reference: String, store: RunStore, options: Options, to url: URL) throws -> Result {
        let loaded = try LoadedCheckpoint.load(run: reference, store: store, checkpoint: options.checkpoint, ema: options.ema)
        let (run, record, file, config, parameters) = (loaded.run, loaded.record, loaded.file, loaded.config, loaded.parameters)

        var writer = SafeTensorsWriter()
        var names: [String] = []
        for (name, tensor) in StateDict.tensors(of: parameters) {
            writer.add(options.keyPrefix + name, tensor, as: options.dtype.safetensors)
            names.append(options.keyPrefix + name)
        }
        writer.metadata = [
            "format": "pt",
            RunCheckpointLayout.modelConfigKey: try RunCheckpointLayout.modelConfigJSON(config),
            RunCheckpointLayout.runIDKey: run.id,
            RunCheckpointLayout.stepKey: String(record.step),
            RunCheckpointLayout.configHashKey: run.config_hash,
            RunCheckpointLayout.versionKey: TRMExperiment.version,
            "trm.weights": options.ema ? "ema" : "trained",
        ]
        if let digest = run.dataset_digest ?? file.metadata[RunCheckpointLayout.datasetDigestKey] {
            writer.metadata[RunCheckpointLayout.datasetDigestKey] = digest
        }
        let batchSize = try store.params(run: run.id)["training.batch_size"].flatMap { Int($0) } ?? 1
        let configURL = configURL(for: url)
        do {
            try AtomicFile.write(writer.serialized(), to: url)
            try AtomicFile.write(try archConfigJSON(config, batchSize: batchSize, forwardDtype: options.forwardDtype), to: configURL)
        } catch {
            throw CheckpointError("cannot write \(url.path): \(error); check that the folder exists and is writable")
        }
        return Result(
            run: run, step: record.step, path: url.path, configPath: configURL.path, names: names,
            parameterCount: parameters.parameterCount, config: config)
    }

    /// The reference's architecture config (`TinyRecursiveReasoningModel_ACTV1Config`): every
    /// `TRMConfig` field plus the fields only the reference has (`batch_size`, `forward_dtype`,
    /// `H_layers`, which TRM ignores), pretty JSON with sorted keys. `swiglu_multiple`, ours alone,
    /// is left out when it is the reference's 256, so that such a file has exactly its fields.
    public static func archConfigJSON(_ config: TRMConfig, batchSize: Int, forwardDtype: String) throws -> Data {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! [String: Any]
        if config.swiglu_multiple == TRMConfig.referenceSwiGLUMultiple { object["swiglu_multiple"] = nil }
        object["batch_size"] = batchSize
        object["forward_dtype"] = forwardDtype
        object["H_layers"] = 0
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}

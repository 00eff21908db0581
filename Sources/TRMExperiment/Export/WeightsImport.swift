import Foundation
import TRMCore
import TRMModel

/// Turns an official TRM checkpoint or a `trm-exp export` file into a finished run with one
/// checkpoint in the run format, so `show`, `compare`, `export` (and evaluation) accept it.
public enum WeightsImport {
    /// What was created.
    public struct Result: Sendable {
        /// The finished run created for the imported weights.
        public var run: RunRecord
        /// The run's single checkpoint record.
        public var checkpoint: CheckpointRecord
        /// The key prefix found on the file's names ("" when bare).
        public var prefix: String
        /// Number of trained parameter values imported.
        public var parameterCount: Int
    }

    /// Imports `file` (plain or gzip'd safetensors; names bare or with a known prefix; float32,
    /// bfloat16 or float16).
    /// - Parameters:
    ///   - file: the weights file to import.
    ///   - config: a JSON file with the model config (reference field names; extra keys such as
    ///     `batch_size` are ignored); may be nil when the file carries `trm.model_config`.
    ///   - name: the run's name; default the file's name without extensions.
    ///   - store: the run store that receives the new run and its checkpoint.
    /// - Throws: `CheckpointError` saying what is missing or mismatched.
    @discardableResult
    public static func importWeights(file: URL, config: URL?, name: String?, store: RunStore) throws -> Result {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw CheckpointError("cannot read \(file.path): \(error.localizedDescription)")
        }
        let tensors: SafeTensors
        if data.starts(with: [0x1f, 0x8b]) {
            tensors = try CheckpointFile.read(from: file)
        } else {
            do { tensors = try SafeTensors(data: data) } catch {
                throw CheckpointError("\(file.path) is not a safetensors file: \(error)")
            }
        }
        let modelConfig = try loadConfig(config, fallback: tensors, source: file.path)
        do { try modelConfig.validate() } catch {
            throw CheckpointError("\(config?.path ?? file.path): \(error)")
        }
        let prefix = StateDict.detectPrefix(tensors)
        let parameters: ModelParameters
        do {
            parameters = ModelParameters(config: modelConfig)
            try StateDict.load(tensors, into: parameters)
        } catch {
            throw CheckpointError(
                "\(file.path) does not match the model config: \(error); check --config (hidden_size, L_layers, mlp_t, puzzle_emb_ndim, …)")
        }

        let runName = name ?? file.lastPathComponent.components(separatedBy: ".").first ?? "imported"
        let source = JSONValue.object([
            "file": .string(file.standardizedFileURL.path),
            "sha256": .string(SHA256.hex(data)),
            "key_prefix": .string(prefix),
            "origin_run": tensors.metadata[RunCheckpointLayout.runIDKey].map(JSONValue.string) ?? .null,
            "origin_step": tensors.metadata[RunCheckpointLayout.stepKey].map(JSONValue.string) ?? .null,
        ])
        let model = try JSONValue.parse(Data(RunCheckpointLayout.modelConfigJSON(modelConfig).utf8), source: "model config")
        let configJSON = JSONValue.object(["name": .string(runName), "imported": source, "model": model])
        let step = tensors.metadata[RunCheckpointLayout.stepKey].flatMap { Int($0) } ?? 0
        let digest = tensors.metadata[RunCheckpointLayout.datasetDigestKey]

        var extraParams = ["model.num_parameters": String(parameters.parameterCount)]
        // The reference's arch config sizes its puzzle-embedding buffer by batch_size; keep it for export.
        if let config, let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any],
            let batchSize = object["batch_size"] as? Int
        {
            extraParams["training.batch_size"] = String(batchSize)
        }
        let run = try store.createImportedRun(
            name: runName, configJSON: configJSON, datasetDigest: digest, steps: step, extraParams: extraParams)
        var metadata = [
            RunCheckpointLayout.runIDKey: run.id,
            RunCheckpointLayout.stepKey: String(step),
            RunCheckpointLayout.configHashKey: run.config_hash,
            RunCheckpointLayout.versionKey: TRMExperiment.version,
        ]
        if let digest { metadata[RunCheckpointLayout.datasetDigestKey] = digest }
        let writer = try RunCheckpointLayout.writer(for: parameters, metadata: metadata)
        let info = try CheckpointFile.write(writer, to: CheckpointFile.url(in: store.runDirectory(for: run.id), step: step))
        let record = CheckpointRecord(run_id: run.id, step: step, path: info.path, bytes: info.bytes, sha256: info.sha256, is_best: true)
        try store.recordCheckpoint(record)
        return Result(run: try store.run(id: run.id), checkpoint: record, prefix: prefix, parameterCount: parameters.parameterCount)
    }

    private static func loadConfig(_ url: URL?, fallback: SafeTensors, source: String) throws -> TRMConfig {
        guard let url else {
            guard fallback.metadata[RunCheckpointLayout.modelConfigKey] != nil else {
                throw CheckpointError(
                    "\(source) carries no model config; pass --config CONFIG.json (the model's fields, e.g. an export's .config.json)")
            }
            return try RunCheckpointLayout.modelConfig(of: fallback, source: source)
        }
        do {
            return try JSONDecoder().decode(TRMConfig.self, from: Data(contentsOf: url))
        } catch {
            throw CheckpointError("\(url.path) is not a model config (JSON with seq_len, vocab_size, hidden_size, …): \(error)")
        }
    }
}

extension RunStore {
    /// Records a finished run that was not trained here (an imported checkpoint): its config is
    /// `configJSON` (canonical), its params the flattened config plus `extraParams`.
    func createImportedRun(
        name: String, configJSON: JSONValue, datasetDigest: String?, steps: Int,
        extraParams: [String: String]
    ) throws -> RunRecord {
        let now = Date()
        return try write { db in
            var id = Self.newID()
            while try RunRecord.exists(db, key: id) { id = Self.newID() }
            let run = RunRecord(
                id: id, name: name, group_name: nil, status: .finished, config_json: configJSON.canonical,
                config_hash: SHA256.hex(configJSON.canonical), dataset_digest: datasetDigest, seed: 0,
                version: TRMExperiment.version, git_commit: nil, host: HostInfo.description,
                started_at: now, ended_at: now, steps_done: steps)
            try run.insert(db)
            var params = Dictionary(uniqueKeysWithValues: configJSON.flattened().map { ($0.key, $0.value) })
            params.merge(extraParams) { _, new in new }
            for (key, value) in params { try ParamRecord(run_id: id, key: key, value: value).insert(db) }
            return run
        }
    }
}

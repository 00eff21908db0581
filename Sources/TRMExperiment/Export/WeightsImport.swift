import Foundation
import TRMCore
import TRMModel

/// Turns an official TRM checkpoint or a `trm-exp export` file into a finished run with one
/// checkpoint in the run format. Imported with an experiment config, the run is like a trained
/// one: `eval`, `solve`, `show`, `compare` and `export` all accept it. Imported with only a model
/// config, it has no dataset: `eval --data EXPERIMENT.json` evaluates it, the rest need the
/// experiment config.
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
        /// Whether the run has a dataset section (imported with an experiment config).
        public var hasDataset: Bool
    }

    /// Imports `file` (plain or gzip'd safetensors; names bare or with a known prefix; float32,
    /// bfloat16 or float16).
    /// - Parameters:
    ///   - file: the weights file to import.
    ///   - config: an experiment config (JSON with `dataset`; the model's dataset-dependent sizes
    ///     come from the file or the dataset) or a model config (reference field names; extra
    ///     keys such as `batch_size` are ignored); may be nil when the file carries
    ///     `trm.model_config`.
    ///   - name: the run's name; default the file's name without extensions.
    ///   - store: the run store that receives the new run and its checkpoint.
    /// - Throws: `CheckpointError` saying what is missing or mismatched; `ConfigError` for an
    ///   invalid experiment config.
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
        let imported = try ImportConfig.resolve(config, tensors: tensors, source: file.path)
        let modelConfig = imported.model
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
        // Provenance goes to the run's params, so the stored config stays a valid experiment config.
        let source = JSONValue.object([
            "file": .string(file.standardizedFileURL.path),
            "sha256": .string(SHA256.hex(data)),
            "key_prefix": .string(prefix),
            "origin_run": tensors.metadata[RunCheckpointLayout.runIDKey].map(JSONValue.string) ?? .null,
            "origin_step": tensors.metadata[RunCheckpointLayout.stepKey].map(JSONValue.string) ?? .null,
        ])
        let configJSON = try runConfig(imported, name: runName, from: file)
        let step = tensors.metadata[RunCheckpointLayout.stepKey].flatMap { Int($0) } ?? 0
        let digest = tensors.metadata[RunCheckpointLayout.datasetDigestKey] ?? imported.datasetDigest

        var extraParams = ["model.num_parameters": String(parameters.parameterCount)]
        for (key, value) in source.flattened(prefix: "imported") { extraParams[key] = value }
        // The reference's arch config sizes its puzzle-embedding buffer by batch_size; keep it for export.
        if imported.experiment == nil, let config,
            let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any],
            let batchSize = object["batch_size"] as? Int
        {
            extraParams["training.batch_size"] = String(batchSize)
        }
        let run = try store.createImportedRun(
            name: runName, configJSON: configJSON, datasetDigest: digest, seed: imported.experiment?.config.seed ?? 0, steps: step,
            extraParams: extraParams)
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
        return Result(
            run: try store.run(id: run.id), checkpoint: record, prefix: prefix, parameterCount: parameters.parameterCount,
            hasDataset: imported.experiment != nil)
    }

    /// The imported run's config: the experiment config renamed (with the model's sizes filled
    /// in), or just the name and model; the description says where the weights came from.
    private static func runConfig(_ imported: ImportConfig, name: String, from file: URL) throws -> JSONValue {
        let model = try JSONValue.parse(Data(RunCheckpointLayout.modelConfigJSON(imported.model).utf8), source: "model config")
        var fields: [String: JSONValue] = [:]
        if let experiment = imported.experiment, case .object(let given) = experiment.json { fields = given }
        let described = fields["description"].flatMap { if case .string(let text) = $0 { ": " + text } else { nil } } ?? ""
        fields["name"] = .string(name)
        fields["description"] = .string("imported from \(file.lastPathComponent)" + described)
        fields["model"] = model
        let json = JSONValue.object(fields)
        // Check now that an experiment import gives a config `eval` and `solve` can read back.
        if imported.experiment != nil { _ = try ExperimentConfig.resolve(Data(json.canonical.utf8), source: "the imported run's config") }
        return json
    }
}

extension RunStore {
    /// Records a finished run that was not trained here (an imported checkpoint): its config is
    /// `configJSON` (canonical), its params the flattened config plus `extraParams`.
    func createImportedRun(
        name: String, configJSON: JSONValue, datasetDigest: String?, seed: Int, steps: Int,
        extraParams: [String: String]
    ) throws -> RunRecord {
        let now = Date()
        return try write { db in
            var id = Self.newID()
            while try RunRecord.exists(db, key: id) { id = Self.newID() }
            let run = RunRecord(
                id: id, name: name, group_name: nil, status: .finished, config_json: configJSON.canonical,
                config_hash: SHA256.hex(configJSON.canonical), dataset_digest: datasetDigest, seed: seed,
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

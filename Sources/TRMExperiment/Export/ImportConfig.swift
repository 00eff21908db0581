import Foundation
import TRMCore
import TRMModel

/// What `trm-exp import --config` describes: the model the weights belong to and, when the file
/// is an experiment config, the whole experiment (dataset, training and evaluation settings), so
/// the imported run can be evaluated and solved like a trained one.
struct ImportConfig {
    /// The model config the weights are loaded into.
    var model: TRMConfig
    /// The experiment config, when `--config` was one (it has a `dataset` section).
    var experiment: ResolvedExperiment?
    /// Digest of the dataset built from the experiment config (when the weights file carries none).
    var datasetDigest: String?

    /// Reads `url`: an experiment config (a JSON object with `dataset`) or a bare model config
    /// (reference field names; extra keys ignored); nil takes the model config `tensors` carry.
    /// - Throws: `ConfigError` for an invalid experiment config, `CheckpointError` otherwise.
    static func resolve(_ url: URL?, tensors: SafeTensors, source: String) throws -> ImportConfig {
        guard let url else {
            guard tensors.metadata[RunCheckpointLayout.modelConfigKey] != nil else {
                throw CheckpointError(
                    "\(source) carries no model config; pass --config CONFIG.json (an experiment config, or the model's fields such as an export's .config.json)"
                )
            }
            return ImportConfig(model: try RunCheckpointLayout.modelConfig(of: tensors, source: source))
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CheckpointError("cannot read \(url.path): \(error.localizedDescription)")
        }
        if case .object(let fields)? = try? JSONValue.parse(data, source: url.path), fields["dataset"] != nil {
            return try experiment(ExperimentConfig.resolve(data, source: url.path), tensors: tensors, source: source, configPath: url.path)
        }
        do {
            return ImportConfig(model: try JSONDecoder().decode(TRMConfig.self, from: data))
        } catch {
            throw CheckpointError(
                "\(url.path) is neither an experiment config (with a dataset section) nor a model config (seq_len, vocab_size, hidden_size, …): \(error)"
            )
        }
    }

    /// The model of an experiment config, its dataset-dependent sizes taken from the weights
    /// file's own model config or, when it has none, from the dataset built as `run` builds it.
    private static func experiment(_ experiment: ResolvedExperiment, tensors: SafeTensors, source: String, configPath: String) throws
        -> ImportConfig
    {
        let section = experiment.config.model
        do {
            if tensors.metadata[RunCheckpointLayout.modelConfigKey] != nil {
                let stored = try RunCheckpointLayout.modelConfig(of: tensors, source: source)
                let model = try section.resolved(
                    seqLen: stored.seq_len, vocabSize: stored.vocab_size, numPuzzleIdentifiers: stored.num_puzzle_identifiers)
                let differing = try differences(model, stored)
                guard differing.isEmpty else {
                    throw CheckpointError(
                        "\(source) was written by a model whose \(differing.joined(separator: ", ")) differ from the model section of \(configPath); give the experiment config the weights were trained with"
                    )
                }
                return ImportConfig(model: model, experiment: experiment)
            }
            let prepared = try DatasetPreparation.prepare(experiment.config)
            let meta = prepared.dataset.train.metadata
            let model = try section.resolved(seqLen: meta.seqLen, vocabSize: meta.vocabSize, numPuzzleIdentifiers: meta.numPuzzleIdentifiers)
            return ImportConfig(model: model, experiment: experiment, datasetDigest: prepared.digest)
        } catch let error as TRMConfigError {
            throw CheckpointError("\(configPath): \(error)")
        }
    }

    /// Names of the fields (as `model.field a → b`) where two model configs differ.
    private static func differences(_ a: TRMConfig, _ b: TRMConfig) throws -> [String] {
        func fields(_ config: TRMConfig) throws -> [String: JSONValue] {
            guard case .object(let fields) = try JSONValue.parse(JSONEncoder().encode(config), source: "model") else { return [:] }
            return fields
        }
        let (left, right) = (try fields(a), try fields(b))
        return left.keys.sorted().filter { left[$0] != right[$0] }.map {
            "\($0) (\(right[$0]?.canonical ?? "none") in the file, \(left[$0]!.canonical) in the config)"
        }
    }
}

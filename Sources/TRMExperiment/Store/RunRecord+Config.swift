import Foundation

extension RunRecord {
    /// The run's stored config decoded and validated again (every default filled in), for
    /// commands that rebuild its dataset or read its evaluation settings.
    /// - Throws: `ConfigError` when the stored JSON no longer validates, or when the run was
    ///   imported with only a model config (no dataset section), saying what to give instead.
    public func experimentConfig() throws -> ExperimentConfig {
        guard hasDataset else {
            throw ConfigError(
                source: "run \(id) (\(name))",
                issues: [
                    ConfigIssue(
                        path: "dataset", kind: .missing,
                        message:
                            "the run was imported with a model config only, so it names no dataset or puzzle kind; evaluate it with `trm-exp eval \(name) --data EXPERIMENT.json` (that config's dataset section builds the test split), or import the weights again with `--config EXPERIMENT.json` to solve and evaluate it like a trained run"
                    )
                ])
        }
        return try ExperimentConfig.resolve(Data(config_json.utf8), source: "run \(id)").config
    }

    /// The config `eval --data dataPath` works with: the stored one, or, for a run imported with
    /// only a model config, the experiment config file `dataPath` with the run's name and model
    /// (the file says the puzzle kind, how to build the test split, batch size, loss and K).
    /// - Throws: `ConfigError` as `experimentConfig()` when neither has a dataset section.
    public func experimentConfig(forData dataPath: String?) throws -> ExperimentConfig {
        guard !hasDataset, let dataPath, let data = try EvaluationData.experimentFile(dataPath),
            case .object(let stored) = try JSONValue.parse(Data(config_json.utf8), source: "run \(id)"),
            case .object(var fields) = data.json
        else { return try experimentConfig() }
        for key in ["name", "description", "model"] { fields[key] = stored[key] }
        return try ExperimentConfig.resolve(Data(JSONValue.object(fields).canonical.utf8), source: "run \(id) with \(dataPath)").config
    }

    /// Whether the stored config has a dataset section (every trained run, and runs imported with
    /// an experiment config).
    public var hasDataset: Bool {
        guard case .object(let fields)? = try? JSONValue.parse(Data(config_json.utf8), source: "run \(id)") else { return true }
        return fields["dataset"] != nil
    }
}

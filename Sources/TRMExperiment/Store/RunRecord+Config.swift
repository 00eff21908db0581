import Foundation

extension RunRecord {
    /// The run's stored config decoded and validated again (every default filled in), for
    /// commands that rebuild its dataset or read its evaluation settings.
    /// - Throws: `ConfigError` when the stored JSON no longer validates.
    public func experimentConfig() throws -> ExperimentConfig {
        try ExperimentConfig.resolve(Data(config_json.utf8), source: "run \(id)").config
    }
}

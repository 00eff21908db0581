import Foundation

/// The runs of `trm-exp run CONFIG --seeds 0,1,2`: one config per seed, each named
/// `<name>-s<seed>` so the seed shows in listings, all in one group so `compare` and the
/// learning report summarise them as mean ± standard deviation.
public enum SeedSweep {
    /// The run name of one seed of a sweep named `name`.
    public static func runName(_ name: String, seed: Int) -> String { "\(name)-s\(seed)" }

    /// The group of a sweep: `group` when given, else the config's own `group`, else its name
    /// (so `compare NAME` finds the seeds of a config that names no group).
    public static func groupName(_ group: String?, config: ExperimentConfig) -> String { group ?? config.group ?? config.name }

    /// Every run of a sweep, resolved before any of them trains so a bad seed or group stops
    /// the sweep at once.
    /// - Parameters:
    ///   - url: the experiment config.
    ///   - overrides: `--set` overrides (and `name=…` for `--name`), applied to every run.
    ///   - seeds: one run per seed, in this order.
    ///   - group: the group name; nil takes `groupName`'s default.
    /// - Throws: `ConfigError` for an invalid config, override, seed or group.
    public static func experiments(loading url: URL, overrides: [String], seeds: [Int], group: String?) throws -> [ResolvedExperiment] {
        let base = try ExperimentConfig.load(contentsOf: url, overrides: overrides).config
        let group = groupName(group, config: base)
        return try seeds.map { seed in
            try ExperimentConfig.load(
                contentsOf: url, overrides: overrides + ["seed=\(seed)", "name=\(runName(base.name, seed: seed))", "group=\(group)"])
        }
    }

}

/// Experiments: configs, the runner, the run store, checkpoints and reports.
public enum TRMExperiment {
    /// The toolkit's version, recorded with every run.
    public static let version = "0.1.0"
}

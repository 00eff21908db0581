import ArgumentParser

/// Help for the arguments and options that several commands take, so that each reads the same
/// wherever it appears.
extension ArgumentHelp {
    /// A run argument resolved like `RunStore.resolveRun`: a name means its latest run.
    static var run: ArgumentHelp {
        ArgumentHelp("The run: its id, a unique id prefix, or a name (the latest run of that name).", valueName: "run")
    }

    /// The `--checkpoint` option of the commands that load one checkpoint.
    static var checkpoint: ArgumentHelp { ArgumentHelp("Which checkpoint: a step number, 'latest' or 'best'.", valueName: "step") }

    /// The `--store` option of the commands that read an existing run store.
    static var store: ArgumentHelp { "The run store (SQLite database)." }
}

import ArgumentParser
import Foundation
import Logging
import TRMExperiment

/// `trm-exp run CONFIG [--set …] [--name NAME] [--max-steps N] [--store PATH]` and `--resume RUN`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train an experiment: build or reuse its dataset, train, evaluate, checkpoint and record everything.",
        discussion: """
            Metrics, K statistics and checkpoints go into the run store (default runs/trm.sqlite; \
            checkpoints in runs/<run id>/). Ctrl-C finishes the current step, writes a checkpoint and marks \
            the run interrupted; `trm-exp run --resume RUN` continues it exactly (also after a crash).

            Examples:
              trm-exp run experiments/sudoku_mlp.json
              trm-exp run experiments/smoke.json --set training.lr=3e-4 --name lr-test
              trm-exp run --resume lr-test
            """)

    @Argument(help: "The experiment config (JSON), e.g. experiments/sudoku_mlp.json. Not needed with --resume.")
    var config: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override a config field, typed by the schema (repeatable): --set training.lr=3e-4 --set model.hidden_size=128.",
            valueName: "path=value"))
    var overrides: [String] = []

    @Option(help: "Name of the run (default: the config's name).")
    var name: String?

    @Option(help: "Stop after this many optimizer steps in total (the learning-rate schedule keeps the config's length).")
    var maxSteps: Int?

    @Option(help: "The run store (SQLite).")
    var store: String = RunStore.defaultPath

    @Option(help: ArgumentHelp("Continue a stopped run (id, id prefix or name) from its last good checkpoint.", valueName: "RUN"))
    var resume: String?

    @Flag(help: "No progress display; warnings and errors only.")
    var quiet = false

    func validate() throws {
        if resume == nil && config == nil { throw ValidationError("give a config file to run, or --resume RUN to continue one") }
        if resume != nil && (config != nil || !overrides.isEmpty || name != nil) {
            throw ValidationError("--resume continues a run with its stored config; leave out CONFIG, --set and --name")
        }
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
    }

    func run() throws {
        LoggingSetup.bootstrap(level: quiet ? .warning : .info)
        let logger = Logger(label: "trm-exp")
        var options = RunOptions()
        options.storePath = store
        options.maxSteps = maxSteps
        options.quiet = quiet
        let record: RunRecord
        if let resume {
            record = try ExperimentRunner.resume(resume, options: options, logger: logger)
        } else {
            let experiment: ResolvedExperiment
            do {
                experiment = try ExperimentConfig.load(
                    contentsOf: URL(fileURLWithPath: config!), overrides: overrides + (name.map { ["name=\($0)"] } ?? []))
            } catch let error as ConfigError {
                Console.standardError.writeLine(error.description)
                throw ExitCode(1)
            }
            record = try ExperimentRunner.start(experiment, options: options, logger: logger)
        }
        print("run \(record.id) \(record.name): \(record.status.rawValue) after \(record.steps_done) steps (`trm-exp show \(record.id)`)")
        if record.status == .interrupted { throw ExitCode(130) }
    }
}

import ArgumentParser
import Foundation
import Logging
import TRMCore
import TRMExperiment

/// `trm-exp run CONFIG [--set …] [--name NAME] [--seeds 0,1,2] [--group NAME] [--max-steps N] [--store PATH]` and `--resume RUN`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train an experiment: build or reuse its dataset, train, evaluate, checkpoint and record everything.",
        discussion: """
            Metrics, K statistics and checkpoints go into the run store (default runs/trm.sqlite; \
            checkpoints in runs/<run id>/). Ctrl-C finishes the current step, writes a checkpoint and marks \
            the run interrupted; `trm-exp run --resume RUN` continues it exactly (also after a crash).

            --seeds runs the config once per seed, one after the other, as runs named NAME-s<seed> in one \
            group (--group, else the config's group, else NAME); `trm-exp compare NAME` then shows their \
            mean ± standard deviation. Each seeded run resumes on its own (`--resume NAME-s1`).

            Examples:
              trm-exp run experiments/sudoku_mlp.json
              trm-exp run experiments/smoke.json --set training.lr=3e-4 --name lr-test
              trm-exp run experiments/smoke.json --seeds 0,1,2
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

    @Option(
        help: ArgumentHelp(
            "Run once per seed (comma-separated), as runs named NAME-s<seed> in one group.", valueName: "seeds"),
        transform: Self.parseSeeds)
    var seeds: [Int]?

    @Option(help: "Group of the run(s) (default with --seeds: the config's group, else the run name).")
    var group: String?

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
        if resume != nil && (config != nil || !overrides.isEmpty || name != nil || seeds != nil || group != nil) {
            throw ValidationError("--resume continues a run with its stored config; leave out CONFIG, --set, --name, --seeds and --group")
        }
        if seeds != nil && overrides.contains(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("seed=") }) {
            throw ValidationError("--seeds sets each run's seed; leave out --set seed=…")
        }
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
    }

    func run() throws {
        LoggingSetup.bootstrap(level: quiet ? .warning : .info)
        let logger = Logger(label: "trm-exp")
        if let warning = BLAS.kernelFamilyWarning { logger.warning("\(warning)") }
        var options = RunOptions()
        options.storePath = store
        options.maxSteps = maxSteps
        options.quiet = quiet
        if let resume {
            try report(ExperimentRunner.resume(resume, options: options, logger: logger))
            return
        }
        let url = URL(fileURLWithPath: config!)
        let common = overrides + (name.map { ["name=\($0)"] } ?? [])
        let experiments: [ResolvedExperiment]
        do {
            if let seeds {
                experiments = try SeedSweep.experiments(loading: url, overrides: common, seeds: seeds, group: group)
            } else {
                experiments = [try ExperimentConfig.load(contentsOf: url, overrides: common + (group.map { ["group=\($0)"] } ?? []))]
            }
        } catch let error as ConfigError {
            Console.standardError.writeLine(error.description)
            throw ExitCode(1)
        }
        for (index, experiment) in experiments.enumerated() {
            // A sweep stops at the first run that does not finish; the message says which seeds remain.
            let remaining = experiments[(index + 1)...].map { String($0.config.seed) }.joined(separator: ",")
            let next = remaining.isEmpty ? "" : "; seeds \(remaining) not started (`--seeds \(remaining)` runs them)"
            let record: RunRecord
            do {
                record = try ExperimentRunner.start(experiment, options: options, logger: logger)
            } catch {
                if !next.isEmpty { Console.standardError.writeLine("run of seed \(experiment.config.seed) failed\(next)") }
                throw error
            }
            try report(record, remaining: next)
        }
        if seeds != nil, let group = experiments.first?.config.group {
            print("group \(group): \(experiments.count) runs (`trm-exp compare \(group)`)")
        }
    }

    /// Prints how a run ended; an interrupted run ends the command with status 130.
    private func report(_ record: RunRecord, remaining: String = "") throws {
        print("run \(record.id) \(record.name): \(record.status.rawValue) after \(record.steps_done) steps (`trm-exp show \(record.id)`)")
        if record.status == .interrupted {
            if !remaining.isEmpty { print("stopped\(remaining)") }
            throw ExitCode(130)
        }
    }

    /// "0,1,2" → [0, 1, 2]: non-negative, distinct.
    static func parseSeeds(_ text: String) throws -> [Int] {
        var seeds: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let seed = Int(item), seed >= 0 else { throw ValidationError("\"\(item)\" is not a seed; give non-negative integers like 0,1,2") }
            guard !seeds.contains(seed) else { throw ValidationError("seed \(seed) is listed twice") }
            seeds.append(seed)
        }
        return seeds
    }
}

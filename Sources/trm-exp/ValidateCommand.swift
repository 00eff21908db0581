import ArgumentParser
import Foundation
import TRMExperiment

/// `trm-exp validate CONFIG [--set path=value …]`
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check an experiment config and print it resolved, with its hash.",
        discussion: "Every problem is listed with its JSON path; the exit code is 1 when there is any.")

    @Argument(help: "The experiment config (JSON), e.g. experiments/sudoku-tiny.json.")
    var config: String

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override a field, typed by the schema (repeatable): --set training.lr=3e-4 --set model.hidden_size=128.",
            valueName: "path=value"))
    var overrides: [String] = []

    @Flag(help: "Print only the config hash.")
    var hashOnly = false

    func run() throws {
        let resolved: ResolvedExperiment
        do {
            resolved = try ExperimentConfig.load(contentsOf: URL(fileURLWithPath: config), overrides: overrides)
        } catch let error as ConfigError {
            Console.standardError.writeLine(error.description)
            throw ExitCode(1)
        }
        if hashOnly {
            print(resolved.hash)
        } else {
            print(resolved.json.pretty)
            print("config hash: \(resolved.hash)")
        }
    }
}

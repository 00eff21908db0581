import ArgumentParser
import TRMExperiment

/// `trm-exp config --schema`
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Describe the experiment config format.")

    @Flag(help: "Print every config field with its type, allowed values, default and meaning.")
    var schema = false

    func validate() throws {
        guard schema else { throw ValidationError("nothing to print; pass --schema") }
    }

    func run() {
        print(ExperimentSchema.documentation)
    }
}

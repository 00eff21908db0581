import ArgumentParser
import TRMExperiment

@main
struct TRMExp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trm-exp",
        abstract: "Run, measure and compare Tiny Recursive Model experiments on the CPU.",
        version: TRMExperiment.version,
        subcommands: [
            RunCommand.self,
            ValidateCommand.self,
            ConfigCommand.self,
            RunsCommand.self,
            ShowCommand.self,
            DataCommand.self,
            CompareCommand.self,
            ExportCommand.self,
            ImportCommand.self,
            EvalCommand.self,
            SolveCommand.self,
            ServeCommand.self,
        ]
    )
}

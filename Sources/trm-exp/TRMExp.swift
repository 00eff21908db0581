import ArgumentParser
import TRMCore
import TRMExperiment

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

/// The entry point: OpenBLAS reads its worker spin only when it loads, so it is set by relaunching
/// before any work; then the command line runs.
@main
enum Entry {
    static func main() async {
        BLAS.relaunchWithShortWorkerSpin()
        await TRMExp.main()
    }
}

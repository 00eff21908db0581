import ArgumentParser
import Foundation
import TRMExperiment

/// `trm-exp import FILE --config EXPERIMENT.json|MODEL.json`
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn an official TRM checkpoint or an exported file into a finished run.",
        discussion: """
            FILE is safetensors (plain or gzip'd); tensor names may carry the _orig_mod.model. or model. prefix and \
            may be bf16. The run gets one checkpoint in trm-exp's format.

            With an experiment config (experiments/NAME.json: model plus dataset), the run is like a trained one: \
            eval, solve, show, compare and export accept it. With only a model config (the model's fields, e.g. an \
            export's FILE.config.json, or nothing when FILE was written by trm-exp) the run has no dataset: eval needs \
            --data EXPERIMENT.json, and solve needs a re-import with the experiment config.

            Examples:
              trm-exp import smoke.safetensors --config experiments/smoke.json --name smoke-copy
              trm-exp import official.safetensors --config arch.json
            """)

    @Argument(help: ArgumentHelp("The checkpoint to import (safetensors).", valueName: "file"))
    var file: String

    @Option(
        help: ArgumentHelp(
            "An experiment config, or the model config as JSON (reference field names, e.g. an export's FILE.config.json); optional when FILE was written by trm-exp.",
            valueName: "config.json"))
    var config: String?

    @Option(help: "Name of the new run (default: the file name without extensions).")
    var name: String?

    @Option(help: "The run store (SQLite database); created if missing.")
    var store: String = RunStore.defaultPath

    func run() throws {
        let result = try WeightsImport.importWeights(
            file: URL(fileURLWithPath: file), config: config.map { URL(fileURLWithPath: $0) },
            name: name, store: try RunStore(path: store))
        print(
            """
            imported \(file) as run \(result.run.id) (\(result.run.name)): \(result.parameterCount) parameters\
            \(result.prefix.isEmpty ? "" : ", names prefixed \(result.prefix)")
              checkpoint  \(result.checkpoint.path)
            next: \(result.hasDataset ? "trm-exp eval \(result.run.id)" : "trm-exp eval \(result.run.id) --data EXPERIMENT.json")
            """)
    }
}

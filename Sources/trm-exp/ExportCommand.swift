import ArgumentParser
import Foundation
import TRMExperiment

/// `trm-exp export RUN --format safetensors --out FILE`
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a run's weights for PyTorch: reference state_dict names, model config and provenance.",
        discussion: """
            Writes FILE (safetensors) and FILE.config.json (the reference's arch config: the model fields plus \
            batch_size, forward_dtype and H_layers), so the official model loads the weights with \
            load_state_dict(strict=True). Optimiser state and EMA copies are never exported; --ema puts the EMA \
            weights in place of the trained ones.
            """)

    @Argument(help: .run)
    var reference: String

    @Option(help: .checkpoint)
    var checkpoint: String = "latest"

    @Flag(help: "Export the EMA weights instead of the trained ones (runs trained with training.ema).")
    var ema = false

    @Option(help: "Output format; only 'safetensors'.")
    var format: String = "safetensors"

    @Option(help: "Float type of every tensor: f32 (lossless, default) or bf16 (half the size).")
    var dtype: String = "f32"

    @Option(help: ArgumentHelp("Put this before every tensor name, e.g. _orig_mod.model. like official checkpoints.", valueName: "prefix"))
    var keyPrefix: String = ""

    @Option(help: "forward_dtype written to the arch config: float32 reproduces trm-exp's numbers, bfloat16 is the reference's GPU default.")
    var forwardDtype: String = "float32"

    @Option(help: ArgumentHelp("The file to write, e.g. model.safetensors.", valueName: "file"))
    var out: String

    @Option(help: .store)
    var store: String = RunStore.defaultPath

    func validate() throws {
        guard format == "safetensors" else { throw ValidationError("unknown --format \(format); use --format safetensors") }
        guard ExportDType(rawValue: dtype) != nil else { throw ValidationError("unknown --dtype \(dtype); use f32 or bf16") }
        guard CheckpointSelector(checkpoint) != nil else {
            throw ValidationError("--checkpoint \(checkpoint) is not a step number, 'latest' or 'best'; `trm-exp show RUN` lists the steps")
        }
    }

    func run() throws {
        var options = WeightsExport.Options()
        options.checkpoint = CheckpointSelector(checkpoint)!
        options.ema = ema
        options.dtype = ExportDType(rawValue: dtype)!
        options.keyPrefix = keyPrefix
        options.forwardDtype = forwardDtype
        let result = try WeightsExport.export(
            run: reference, store: try RunStore.openExisting(path: store), options: options,
            to: URL(fileURLWithPath: out))
        print(
            """
            exported run \(result.run.id) (\(result.run.name)) step \(result.step)\(ema ? " (EMA weights)" : ""): \
            \(result.names.count) tensors, \(result.parameterCount) parameters, \(dtype)
              weights  \(result.path)
              config   \(result.configPath)
            """)
        if let caveat = WeightsExport.referenceCaveat(for: result.config) { print("note: \(caveat)") }
    }
}

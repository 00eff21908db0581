import Foundation
import TRMCore
import TRMModel

/// One checkpoint of a run read into memory and verified: the run, its checkpoint record, the
/// file and the model it holds. Export, evaluation and solving all start here.
public struct LoadedCheckpoint {
    /// The run the checkpoint belongs to.
    public var run: RunRecord
    /// The store's row for the checkpoint file.
    public var record: CheckpointRecord
    /// The decompressed safetensors file, with all tensors and metadata.
    public var file: SafeTensors
    /// The model config stored in the file (`RunCheckpointLayout.modelConfigKey`).
    public var config: TRMConfig
    /// The trained weights, or their EMA copies when loaded with `ema`.
    public var parameters: ModelParameters

    /// Resolves `reference` (id, id prefix or name), picks the checkpoint and reads it, checking
    /// its SHA-256 against the store.
    /// - Throws: `RunStoreError`/`CheckpointError` saying which run, checkpoint or file is wrong.
    public static func load(run reference: String, store: RunStore, checkpoint: CheckpointSelector, ema: Bool) throws -> LoadedCheckpoint {
        let run = try store.resolveRun(reference)
        let record = try checkpoint.select(from: try store.checkpoints(run: run.id), run: "\(run.id) (\(run.name))")
        return try load(run: run, record: record, ema: ema)
    }

    /// Reads the checkpoint file of `record`, a checkpoint of `run` already chosen (for callers
    /// that pick it themselves, such as the web server, which keeps loaded models by record).
    /// - Throws: `CheckpointError` when the file is missing, corrupt or not a model of this layout.
    public static func load(run: RunRecord, record: CheckpointRecord, ema: Bool) throws -> LoadedCheckpoint {
        let file = try CheckpointFile.read(from: URL(fileURLWithPath: record.path), expectedSHA256: record.sha256)
        let config = try RunCheckpointLayout.modelConfig(of: file, source: record.path)
        let parameters = try RunCheckpointLayout.parameters(from: file, config: config, ema: ema, source: record.path)
        return LoadedCheckpoint(run: run, record: record, file: file, config: config, parameters: parameters)
    }
}

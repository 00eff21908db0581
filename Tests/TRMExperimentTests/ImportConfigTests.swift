import Foundation
import TRMCore
import TRMModel
import Testing

@testable import TRMExperiment

/// `import --config EXPERIMENT.json`: the run gets a valid experiment config, the model's sizes
/// come from the file or the dataset, and a model that contradicts the config is refused.
@Suite struct ImportConfigTests {
    /// A 4×4 Sudoku experiment with a tiny model, its dataset cached under `directory`.
    private func writeExperiment(_ directory: TemporaryDirectory, hCycles: Int = 2) throws -> (url: URL, config: ResolvedExperiment) {
        let text = """
            {"name": "tiny-sudoku", "description": "four by four", "seed": 3,
             "dataset": {"kind": "sudoku", "sudoku_size": "4", "train_count": 8, "test_count": 4, "cache_dir": "\(directory.path("cache").path)"},
             "model": {"hidden_size": 8, "num_heads": 2, "L_layers": 1, "H_cycles": \(hCycles), "mlp_t": true, "pos_encodings": "none",
                       "puzzle_emb_ndim": 0, "puzzle_emb_len": 0, "halt_max_steps": 3},
             "training": {"batch_size": 4, "steps": 2}}
            """
        let url = directory.path("experiment-\(hCycles).json")
        try Data(text.utf8).write(to: url)
        return (url, try ExperimentConfig.load(contentsOf: url))
    }

    @Test func officialWeightsTakeTheirSizesFromTheExperimentsDataset() throws {
        let directory = try TemporaryDirectory()
        let (url, experiment) = try writeExperiment(directory)
        let prepared = try DatasetPreparation.prepare(experiment.config.dataset, seed: experiment.config.seed)
        let meta = prepared.dataset.train.metadata
        let model = try experiment.config.model.resolved(
            seqLen: meta.seqLen, vocabSize: meta.vocabSize, numPuzzleIdentifiers: meta.numPuzzleIdentifiers)
        // An official-style file: reference names, no trm metadata at all.
        let parameters = ModelParameters(config: model, seed: 11)
        var writer = SafeTensorsWriter()
        for (name, tensor) in StateDict.tensors(of: parameters) { writer.add("_orig_mod.model." + name, tensor) }
        let weights = directory.path("official.safetensors")
        try writer.serialized().write(to: weights)

        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let imported = try WeightsImport.importWeights(file: weights, config: url, name: "official", store: store)
        #expect(imported.hasDataset && imported.run.dataset_digest == prepared.digest && imported.run.seed == 3)
        let config = try imported.run.experimentConfig()
        #expect(config.name == "official" && config.dataset == experiment.config.dataset && config.training.batch_size == 4)
        #expect(config.description == "imported from official.safetensors: four by four")
        #expect(config.model.seq_len == meta.seqLen && config.model.template.H_cycles == 2)
        #expect(try store.params(run: imported.run.id)["imported.key_prefix"] == "\"_orig_mod.model.\"")
        let loaded = try LoadedCheckpoint.load(run: "official", store: store, checkpoint: .latest, ema: false)
        #expect(loaded.config == model)
        #expect(
            Dictionary(uniqueKeysWithValues: StateDict.tensors(of: loaded.parameters))
                == Dictionary(uniqueKeysWithValues: StateDict.tensors(of: parameters)))
    }

    @Test func aModelThatContradictsTheExperimentIsRefused() throws {
        let directory = try TemporaryDirectory()
        let (_, experiment) = try writeExperiment(directory)
        let (otherURL, _) = try writeExperiment(directory, hCycles: 3)
        let model = try experiment.config.model.resolved(seqLen: 16, vocabSize: 6, numPuzzleIdentifiers: 1)
        // A trm-exp file carries its model config (H_cycles 2); the config says 3.
        let writer = try RunCheckpointLayout.writer(for: ModelParameters(config: model, seed: 1), metadata: [:])
        let weights = directory.path("exported.safetensors")
        try writer.serialized().write(to: weights)
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let error = #expect(throws: CheckpointError.self) {
            try WeightsImport.importWeights(file: weights, config: otherURL, name: nil, store: store)
        }
        #expect(error?.description.contains("H_cycles (2 in the file, 3 in the config)") == true, "\(String(describing: error))")
        #expect(try store.listRuns().isEmpty)
    }
}

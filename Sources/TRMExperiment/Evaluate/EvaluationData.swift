import Foundation
import TRMCore
import TRMData

/// The data a checkpoint is evaluated on: the run's own test split, the test split an experiment
/// config file describes, or a user's published-format CSV or reference-format folder, encoded
/// exactly as the run's dataset was.
public struct EvaluationData {
    /// The examples, encoded with the run's dataset vocabulary and puzzle identifiers.
    public var dataset: PuzzleDataset
    /// The split name metrics and K statistics are recorded under: "eval" for the run's test
    /// split, "eval:<file or folder name>" otherwise (never "test", which training owns).
    public var splitName: String
    /// One line saying where the data came from.
    public var summary: String

    /// The split evaluated.
    public var split: PuzzleSplit { dataset.test }

    /// Loads the data for a run whose resolved config is `experiment`.
    /// - Parameters:
    ///   - path: nil for the run's test split (rebuilt or read from the dataset cache); an
    ///     experiment config (`.json`), whose dataset section's test split is built as `trm-exp run`
    ///     builds it (or read from the cache); a `.csv` file in the published format of the run's dataset kind; or a folder written by
    ///     `trm-exp data build`/`data export` or the reference's builders (its test split is used).
    ///   - experiment: the run's resolved config (dataset kind, options and seed).
    ///   - seqLen: the model's sequence length; the data must match it.
    ///   - vocabSize: the model's vocabulary size; the data's tokens must fit it.
    /// - Throws: `DatasetError` naming the file and line of a bad row, `ConfigError` for an
    ///   invalid experiment config, `CheckpointError` when the data does not fit the model.
    public static func load(path: String?, experiment: ExperimentConfig, seqLen: Int, vocabSize: Int) throws -> EvaluationData {
        let data: EvaluationData
        if let path, let file = try experimentFile(path) {
            let dataset = file.config.dataset
            guard dataset.kind == experiment.dataset.kind else {
                throw CheckpointError(
                    "--data \(path) describes a \(dataset.kind.rawValue) dataset but the run's puzzles are \(experiment.dataset.kind.rawValue); give a config of the same kind"
                )
            }
            data = try testSplit(of: file.config, name: "eval:" + URL(fileURLWithPath: path).lastPathComponent, what: "the test split of \(path)")
        } else if let path {
            data = try external(path, kind: experiment.dataset.kind)
        } else {
            data = try testSplit(of: experiment, name: "eval", what: "the run's test split")
        }
        let metadata = data.split.metadata
        guard metadata.seqLen == seqLen, metadata.vocabSize <= vocabSize else {
            throw CheckpointError(
                """
                \(data.summary) has sequences of \(metadata.seqLen) tokens over a vocabulary of \(metadata.vocabSize), \
                but the model takes \(seqLen) tokens over \(vocabSize); give data of the run's puzzle size
                """)
        }
        guard data.split.exampleCount > 0 else { throw CheckpointError("\(data.summary) holds no test examples") }
        return data
    }

    /// The experiment config at `path` when it is one (a `.json` file), resolved; nil for other
    /// paths (CSV files, dataset folders).
    /// - Throws: `ConfigError` naming the file and JSON path of every problem.
    public static func experimentFile(_ path: String) throws -> ResolvedExperiment? {
        var isDirectory: ObjCBool = false
        guard path.lowercased().hasSuffix(".json"), FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
            !isDirectory.boolValue
        else { return nil }
        return try ExperimentConfig.load(contentsOf: URL(fileURLWithPath: path))
    }

    /// The test split of `experiment`'s dataset, built (or read from the cache) as `trm-exp run` does.
    private static func testSplit(of experiment: ExperimentConfig, name: String, what: String) throws -> EvaluationData {
        let prepared = try DatasetPreparation.prepare(experiment)
        return EvaluationData(dataset: prepared.dataset, splitName: name, summary: "\(what) (\(prepared.summary))")
    }

    private static func external(_ path: String, kind: DatasetKind) throws -> EvaluationData {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CheckpointError("--data \(path) does not exist; give an experiment config, a published-format CSV or a dataset folder")
        }
        let url = URL(fileURLWithPath: path)
        let name = "eval:" + url.lastPathComponent
        if isDirectory.boolValue {
            return EvaluationData(dataset: try ReferenceFormat.read(url), splitName: name, summary: "the test split of \(path)")
        }
        let test: PuzzleSplit
        switch kind {
        case .sudoku:
            var rng = RandomGenerator(seed: 0)  // unused: no augmented copies are drawn
            test = SudokuDatasetBuilder.encode(try SudokuCSV.load(url).records, numAug: 0, using: &rng)
        case .maze:
            test = MazeDatasetBuilder.encode(try MazeCSV.load(url).records, augment: false, relabel: false)
        case .arc:
            throw CheckpointError("ARC runs are evaluated on a dataset folder (trm-exp data build --kind arc ...), not a CSV file")
        }
        return EvaluationData(
            dataset: PuzzleDataset(identifiers: ["<blank>"], train: test, test: test), splitName: name,
            summary: "\(path) (\(test.exampleCount) puzzles)")
    }
}

import Foundation
import TRMCore
import TRMModel

/// Puzzle family of a dataset.
public enum DatasetKind: String, Codable, Sendable, CaseIterable {
    /// Sudoku grids (4×4, 6×6 or 9×9): fill every blank cell.
    case sudoku
    /// Square mazes: mark the shortest path from start to goal.
    case maze
    /// ARC-AGI tasks: produce the output grid for a test input.
    case arc
}

/// Where a dataset's examples come from.
public enum DatasetSource: String, Codable, Sendable, CaseIterable {
    /// Synthesised by the built-in generators (sudoku, maze).
    case generate
    /// A CSV file of puzzles and solutions (sudoku, maze).
    case csv
    /// A folder holding the Kaggle combined files `arc-agi_<subset>_challenges.json` and
    /// `arc-agi_<subset>_solutions.json` (one folder of task files per subset: `arc-folder`).
    case arcJSON = "arc-json"
    /// A folder holding one folder of per-task JSON files per ARC subset, named after the subset
    /// (`<path>/training/*.json`, `<path>/evaluation/*.json`, as in the ARC-AGI repositories).
    case arcFolder = "arc-folder"
    /// A folder built by the reference implementation's dataset scripts (`.npy` arrays).
    case trmNumpy = "trm-numpy"

    /// The kinds this source can build.
    public var kinds: [DatasetKind] {
        switch self {
        case .generate, .csv: [.sudoku, .maze]
        case .arcJSON, .arcFolder: [.arc]
        case .trmNumpy: [.sudoku, .maze, .arc]
        }
    }
}

/// ARC task collections.
public enum ARCSubset: String, Codable, Sendable, CaseIterable {
    /// ARC-AGI-1 training tasks.
    case training
    /// ARC-AGI-1 evaluation tasks.
    case evaluation
    /// ConceptARC tasks.
    case concept
    /// ARC-AGI-2 training tasks.
    case training2
    /// ARC-AGI-2 evaluation tasks.
    case evaluation2
}

/// A validated experiment config with every default filled in. Field names are the JSON names;
/// `ExperimentSchema` documents each one.
public struct ExperimentConfig: Codable, Sendable, Equatable {
    /// Experiment name (letters, digits, `.`, `_`, `-`); runs of the same name are grouped.
    public var name: String
    /// What the experiment is for, in a sentence or two (shown in listings and reports); nil: none.
    public var description: String?
    /// Group for comparing related runs; nil: no group.
    public var group: String?
    /// Seed of every random generator (initialisation, data order, halting exploration) and, unless
    /// `dataset.seed` is given, of the dataset build; default 0.
    public var seed: Int
    /// What to train and evaluate on.
    public var dataset: DatasetConfig
    /// The model's `TRMConfig` fields, with dataset-dependent sizes possibly left open.
    public var model: ModelSection
    /// Optimisation settings.
    public var training: TrainingConfig
    /// Evaluation and K-statistics settings.
    public var evaluation: EvaluationConfig
    /// Checkpoint frequency and retention.
    public var checkpointing: CheckpointingConfig
    /// Worker threads; nil means all cores.
    public var threads: Int?

    /// The seed the dataset is built with: `dataset.seed` when given, so runs of several seeds can
    /// share their puzzles, else the run's own.
    public var datasetSeed: Int { dataset.seed ?? seed }
}

/// `dataset`: what to build. Kind-specific fields are nil for other kinds.
public struct DatasetConfig: Codable, Sendable, Equatable {
    /// The puzzle family.
    public var kind: DatasetKind
    /// Where examples come from; must be able to build `kind` (default `generate`).
    public var source: DatasetSource
    /// Input file or folder of csv, arc-json, arc-folder and trm-numpy sources, relative to the working directory; nil when generating.
    public var path: String?
    /// Separate test input (csv only); nil: the test split comes from `path`.
    public var test_path: String?
    /// Skip invalid input rows or tasks (counted and reported) instead of stopping; nil: false.
    public var skip_invalid: Bool?
    /// Training examples before augmentation; nil: all available (1000 when generating).
    public var train_count: Int?
    /// Test examples; nil: all available (1000 when generating).
    public var test_count: Int?
    /// Seed of the dataset build (generation, subsampling, offline augmented copies); nil: the
    /// run's `seed`. Read it through `ExperimentConfig.datasetSeed`.
    public var seed: Int?
    /// Sudoku: [min, max] blank cells.
    public var blanks: [Int]?
    /// Sudoku: side of generated grids ("4", "6" or "9").
    public var sudoku_size: String?
    /// Sudoku: fewest solver guesses a generated puzzle needs (and csv rating filter).
    public var min_rating: Int?
    /// Maze: side length in cells.
    public var grid_size: Int?
    /// Maze: fraction of cells that are walls (0…0.9); nil: each maze draws its density from 33–43 %.
    public var wall_density: Double?
    /// Maze: shortest start-to-goal path in cells a generated maze must have; nil: no minimum.
    public var min_path_length: Int?
    /// Maze: the same minimum for generated training mazes only; nil: `min_path_length`.
    public var train_min_path_length: Int?
    /// Maze: the share of generated training mazes held to `train_min_path_length`; nil: all.
    public var train_min_path_share: Double?
    /// ARC: subsets providing training pairs.
    public var subsets: [ARCSubset]?
    /// ARC: subset whose test inputs are evaluated (default `evaluation`).
    public var test_set: ARCSubset?
    /// Augmented copies of each training puzzle.
    public var augmentation: AugmentationConfig
    /// Folder where built datasets are cached by content hash (default `datasets/cache`).
    public var cache_dir: String
}

/// `dataset.augmentation`.
public struct AugmentationConfig: Codable, Sendable, Equatable {
    /// Augmented copies per training puzzle; 0 (default) means none.
    public var num_aug: Int
    /// Symmetries of the grid (default true): the 8 rotations and reflections for arc and maze;
    /// for sudoku the validity-preserving ones (transpose, band/row and stack/column shuffles).
    public var dihedral: Bool
    /// Permute digits 1–n (sudoku) or colours 1–9 (arc) (default true); maze has nothing to permute.
    public var permute: Bool
    /// ARC: shift training grids inside the 30×30 canvas (default true, as the reference does);
    /// always false for sudoku and maze, whose grids fill their canvas.
    public var translate: Bool
    /// Draw a fresh random symmetry for every training sample as it is batched (sudoku and maze; default false).
    public var online: Bool
}

/// `training`: optimisation settings (defaults of the reference's `cfg_pretrain.yaml`).
public struct TrainingConfig: Codable, Sendable, Equatable {
    /// Sequences per optimiser step (the reference's `global_batch_size`; default 768).
    public var batch_size: Int
    /// Exactly one of `epochs` and `steps` is set after resolution.
    public var epochs: Int?
    /// Training length in optimiser steps; derived from `epochs` when omitted.
    public var steps: Int?
    /// Base learning rate (default 1e-4).
    public var lr: Double
    /// Linear warm-up length in optimiser steps (default 2000).
    public var lr_warmup_steps: Int
    /// Final learning rate as a fraction of `lr` after cosine decay; 1 (default) keeps it constant after warm-up.
    public var lr_min_ratio: Double
    /// Adam β1 (default 0.9).
    public var beta1: Double
    /// Adam β2 (default 0.95).
    public var beta2: Double
    /// Decoupled weight decay on all network parameters (default 0.1).
    public var weight_decay: Double
    /// Sign-SGD learning rate of the puzzle-embedding table (default 1e-2).
    public var puzzle_emb_lr: Double
    /// Weight decay of the puzzle-embedding table (default 0.1).
    public var puzzle_emb_weight_decay: Double
    /// Token cross-entropy variant (default `stablemax`).
    public var loss: LossKind
    /// Whether evaluation and checkpoints use an exponential moving average of the weights (default false).
    public var ema: Bool
    /// EMA decay per step, in (0, 1) (default 0.999).
    public var ema_rate: Double
    /// Optimiser of the network weights (default `adam_atan2`).
    public var optimizer: OptimizerKind
    /// Steps between logged training metrics.
    public var log_every: Int
    /// Easy training examples first; nil: every example from the start.
    public var curriculum: CurriculumConfig?
}

/// `training.curriculum`: a window of per-example difficulty (maze path cells incl. S and G,
/// Sudoku rating) that moves linearly from `start` to `end` over the first `steps` steps.
public struct CurriculumConfig: Codable, Sendable, Equatable {
    /// Steps over which the window moves.
    public var steps: Int
    /// `[lowest, highest]` difficulty admitted at step 0.
    public var start: [Double]
    /// `[lowest, highest]` admitted from `steps` on; nil: the training split's whole range.
    public var end: [Double]?
}

/// `evaluation`.
public struct EvaluationConfig: Codable, Sendable, Equatable {
    /// Training steps between evaluations; nil: only at the end.
    public var interval: Int?
    /// ACT steps per test example (filled from `model.halt_max_steps` when omitted), 1…64.
    public var max_k: Int
    /// Halting probabilities at which halting statistics are counted.
    public var halt_thresholds: [Double]
    /// At most this many test examples; nil: all.
    public var test_limit: Int?
}

/// `checkpointing`.
public struct CheckpointingConfig: Codable, Sendable, Equatable {
    /// Training steps between checkpoints; nil: at every evaluation.
    public var every: Int?
    /// Most recent checkpoints kept besides the best.
    public var keep: Int
}

/// `model`: `TRMConfig`'s fields; the three dataset-dependent sizes may be left to the dataset.
public struct ModelSection: Codable, Sendable, Equatable {
    /// Every field; `seq_len` and `vocab_size` are 0 and `num_puzzle_identifiers` 1 when omitted.
    public var template: TRMConfig
    /// Sizes given in the config (nil: take the dataset's).
    public var seq_len: Int?
    /// Token vocabulary size given in the config, pad 0 included; nil: take the dataset's.
    public var vocab_size: Int?
    /// Rows of the puzzle-embedding table given in the config (blank id 0 included); nil: take the dataset's.
    public var num_puzzle_identifiers: Int?

    /// Decodes the resolved `model` object, keeping which sizes were given.
    public init(from decoder: Decoder) throws {
        let object = try JSONValue(from: decoder)
        guard case .object(var fields) = object else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "model is not an object"))
        }
        func int(_ key: String) -> Int? { if case .int(let v)? = fields[key] { v } else { nil } }
        seq_len = int("seq_len")
        vocab_size = int("vocab_size")
        num_puzzle_identifiers = int("num_puzzle_identifiers")
        fields["seq_len"] = .int(seq_len ?? 0)
        fields["vocab_size"] = .int(vocab_size ?? 0)
        fields["num_puzzle_identifiers"] = .int(num_puzzle_identifiers ?? 1)
        template = try JSONDecoder().decode(TRMConfig.self, from: Data(JSONValue.object(fields).canonical.utf8))
    }

    /// Encodes the `TRMConfig` fields, with null for sizes left to the dataset.
    public func encode(to encoder: Encoder) throws {
        let data = try JSONEncoder().encode(template)
        guard case .object(var fields) = try JSONValue.parse(data, source: "model") else { return }
        fields["seq_len"] = seq_len.map(JSONValue.int) ?? .null
        fields["vocab_size"] = vocab_size.map(JSONValue.int) ?? .null
        fields["num_puzzle_identifiers"] = num_puzzle_identifiers.map(JSONValue.int) ?? .null
        try JSONValue.object(fields).encode(to: encoder)
    }

    /// The model config for a dataset with these sizes, checked by `TRMConfig.validate()`.
    /// - Throws: `TRMConfigError` when a size given in the config disagrees with the dataset
    ///   (with what to change), or when the combination cannot run.
    public func resolved(seqLen: Int, vocabSize: Int, numPuzzleIdentifiers: Int) throws -> TRMConfig {
        for (name, given, actual) in [
            ("seq_len", seq_len, seqLen), ("vocab_size", vocab_size, vocabSize),
            ("num_puzzle_identifiers", num_puzzle_identifiers, numPuzzleIdentifiers),
        ] {
            if let given, given != actual {
                throw TRMConfigError("model.\(name) is \(given) but the dataset has \(actual); remove model.\(name) to take the dataset's value")
            }
        }
        var config = template
        config.seq_len = seqLen
        config.vocab_size = vocabSize
        config.num_puzzle_identifiers = numPuzzleIdentifiers
        try config.validate()
        return config
    }
}

extension JSONValue: Codable {
    /// Encodes the value as the JSON it represents.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Decodes any JSON value (used to read sections whose shape the schema already checked).
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

/// A config after validation, overrides and defaults: the typed values, the resolved JSON and its
/// hash. Two configs with the same meaning (key order, `1e-4` vs `0.0001`) have the same hash.
public struct ResolvedExperiment: Sendable {
    /// The typed config decoded from `json`.
    public let config: ExperimentConfig
    /// Every field with its default filled in.
    public let json: JSONValue
    /// `json` as canonical text (sorted keys, no whitespace): what the run store records.
    public var canonicalJSON: String { json.canonical }
    /// SHA-256 (hex) of `canonicalJSON`.
    public var hash: String { SHA256.hex(canonicalJSON) }
}

extension ExperimentConfig {
    /// Reads, overrides, validates and resolves a config file.
    /// - Parameters:
    ///   - url: the config file, usually `experiments/NAME.json`.
    ///   - overrides: `path=value` strings as given to `--set`.
    /// - Throws: `ConfigError` listing every problem (unreadable file, JSON syntax, schema, overrides).
    public static func load(contentsOf url: URL, overrides: [String] = []) throws -> ResolvedExperiment {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConfigError(
                source: url.path,
                issues: [
                    ConfigIssue(path: "", kind: .syntax, message: "cannot read the file: \(error.localizedDescription)")
                ])
        }
        return try resolve(data, source: url.path, overrides: overrides)
    }

    /// Validates and resolves config JSON text; `source` names it in errors.
    public static func resolve(_ data: Data, source: String = "config", overrides: [String] = []) throws -> ResolvedExperiment {
        var value = try JSONValue.parse(data, source: source)
        var validator = ConfigValidator()
        for text in overrides { ConfigOverride.apply(text, to: &value, schema: ExperimentSchema.root, validator: &validator) }
        guard case .object(let fields) = ExperimentSchema.root, let resolved = validator.resolveObject(value, fields: fields, path: "") else {
            throw ConfigError(source: source, issues: validator.issues)
        }
        var json = resolved
        ExperimentRules.apply(to: &json, validator: &validator)
        guard validator.issues.isEmpty else { throw ConfigError(source: source, issues: validator.issues) }
        do {
            let config = try JSONDecoder().decode(ExperimentConfig.self, from: Data(json.canonical.utf8))
            return ResolvedExperiment(config: config, json: json)
        } catch {
            // The schema and the structs disagree: a programming error, reported rather than crashing.
            throw ConfigError(
                source: source,
                issues: [
                    ConfigIssue(path: "", kind: .inconsistent, message: "resolved config does not decode (\(error)); please report this")
                ])
        }
    }
}

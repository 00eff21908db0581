import Foundation
import TRMModel

/// The schema of `experiments/*.json`: the single description from which configs are validated,
/// defaults are filled, `--set` values are typed and `trm-exp config --schema` is printed.
public enum ExperimentSchema {
    /// The root object.
    public static let root: SchemaType = .object([
        SchemaField(
            "name", .string(pattern: "letters, digits, '.', '_' or '-'", isValid: isName), .required,
            "Name of the experiment; runs of the same name are grouped and `latest by name` resolves to the newest."),
        SchemaField(
            "description", .string(pattern: nil, isValid: { _ in true }), .optional("no description"),
            "Free text shown by `trm-exp show`."),
        SchemaField(
            "group", .string(pattern: "letters, digits, '.', '_' or '-'", isValid: isName), .optional("no group"),
            "Group name for comparing related runs."),
        SchemaField(
            "seed", seedType, .defaultValue(.int(0)),
            "Seed of every random generator (initialisation, data order, halting exploration) and, unless dataset.seed is given, of the dataset build."
        ),
        SchemaField("dataset", .object(datasetFields), .required, "What to train and evaluate on."),
        SchemaField(
            "model", .object(modelFields), .defaultValue(.object([:])),
            "The model: exactly the fields of TRMConfig (the reference's names)."),
        SchemaField("training", .object(trainingFields), .defaultValue(.object([:])), "Optimisation."),
        SchemaField("evaluation", .object(evaluationFields), .defaultValue(.object([:])), "Evaluation and K statistics."),
        SchemaField("checkpointing", .object(checkpointFields), .defaultValue(.object([:])), "Checkpoint files."),
        SchemaField(
            "threads", .integer(.within(1, 256)), .optional("all cores"),
            "Worker threads for the engine; training slices each batch into one shard of rows per thread."),
    ])

    /// Plain-text documentation of every field.
    public static var documentation: String {
        SchemaDocumentation.render(root, title: "Experiment config (experiments/*.json). Fields by JSON path:")
    }

    static let isName: @Sendable (String) -> Bool = { name in
        !name.isEmpty && name.count <= 100
            && name.unicodeScalars.allSatisfy { CharacterSet.nameCharacters.contains($0) }
    }

    /// A seed: the run's and the dataset's take the same values.
    private static let seedType = SchemaType.integer(.within(0, Double(Int32.max)))

    private static let datasetFields: [SchemaField] = [
        SchemaField("kind", .choice(DatasetKind.allCases.map(\.rawValue)), .required, "The puzzle family."),
        SchemaField(
            "source", .choice(DatasetSource.allCases.map(\.rawValue)), .defaultValue(.string("generate")),
            "Where examples come from: generate (sudoku, maze), csv (sudoku, maze), arc-json (arc: a folder holding the Kaggle files arc-agi_<subset>_challenges.json and _solutions.json), arc-folder (arc: a folder holding one folder of per-task JSON files per subset, named after it), trm-numpy (a folder built by the reference's dataset scripts)."
        ),
        SchemaField(
            "path", .string(pattern: "a file or folder path", isValid: { !$0.isEmpty }), .optional("nothing to read (source generate)"),
            "Input of csv, arc-json, arc-folder and trm-numpy sources; relative paths are relative to the working directory."),
        SchemaField(
            "test_path", .string(pattern: "a file or folder path", isValid: { !$0.isEmpty }),
            .optional("the test split comes from `path`"), "Separate test input (csv)."),
        SchemaField(
            "skip_invalid", .boolean, .optional("false: the first invalid row or task stops the build"),
            "Skip invalid csv rows or ARC tasks instead of stopping; the run log gives how many and the first few."),
        SchemaField(
            "train_count", .integer(.atLeast(1)), .optional("every available example; 1000 when generating"),
            "Training examples before augmentation."),
        SchemaField(
            "test_count", .integer(.atLeast(1)), .optional("every available example; 1000 when generating"),
            "Test examples."),
        SchemaField(
            "seed", seedType, .optional("the run's seed"),
            "Seed of the dataset build (generated puzzles, csv subsamples, augmented copies). Set it to train and test every seed of `--seeds` on the same puzzles, so their results can be compared puzzle by puzzle; left out, each seed builds its own."
        ),
        SchemaField(
            "blanks", .array(.integer(.within(0, 81)), count: 2...2), .optional("by size: 4×4 [6, 10], 6×6 [18, 22], 9×9 [45, 64]"),
            "Blank cells per generated puzzle as [min, max].", onlyWhen: ("kind", ["sudoku"])),
        SchemaField(
            "sudoku_size", .choice(["4", "6", "9"]), .defaultValue(.string("9")),
            "Side of generated Sudoku grids: 4 (2×2 boxes), 6 (2×3 boxes) or 9.", onlyWhen: ("kind", ["sudoku"])),
        SchemaField(
            "min_rating", .integer(.atLeast(0)), .defaultValue(.int(0)),
            "Fewest solver guesses (backtracks) a generated Sudoku must need; also filters csv rows by rating.",
            onlyWhen: ("kind", ["sudoku"])),
        SchemaField(
            "grid_size", .integer(.within(5, 30)), .defaultValue(.int(30)),
            "Maze side in cells; the sequence length is grid_size².", onlyWhen: ("kind", ["maze"])),
        SchemaField(
            "wall_density", .number(.within(0, 0.9)), .optional("each maze draws its density from 33–43 %"),
            "Fraction of cells that are walls in generated mazes.", onlyWhen: ("kind", ["maze"])),
        SchemaField(
            "min_path_length", .integer(.atLeast(1)), .optional("no minimum"),
            "Shortest start-to-goal path (cells) a generated maze must have.", onlyWhen: ("kind", ["maze"])),
        SchemaField(
            "train_min_path_length", .integer(.atLeast(2)), .optional("min_path_length"),
            "Shortest path (cells) of generated training mazes only: lower it so training mixes easy mazes with hard ones while the test split keeps min_path_length.",
            onlyWhen: ("kind", ["maze"])),
        SchemaField(
            "train_min_path_share", .number(.within(0.01, 1)), .optional("1: every training maze"),
            "Share of generated training mazes held to train_min_path_length; the rest keep min_path_length, so training can stress long paths without losing the test's short ones.",
            onlyWhen: ("kind", ["maze"])),
        SchemaField(
            "subsets", .array(.choice(ARCSubset.allCases.map(\.rawValue)), count: 1...5),
            .defaultValue(.array([.string("training"), .string("evaluation"), .string("concept")])),
            "ARC subsets whose training pairs are used.", onlyWhen: ("kind", ["arc"])),
        SchemaField(
            "test_set", .choice(ARCSubset.allCases.map(\.rawValue)), .defaultValue(.string("evaluation")),
            "ARC subset whose test inputs are evaluated.", onlyWhen: ("kind", ["arc"])),
        SchemaField("augmentation", .object(augmentationFields), .defaultValue(.object([:])), "Augmented copies of each training puzzle."),
        SchemaField(
            "cache_dir", .string(pattern: "a folder path", isValid: { !$0.isEmpty }), .defaultValue(.string("datasets/cache")),
            "Where built datasets are cached by content hash."),
    ]

    private static let augmentationFields: [SchemaField] = [
        SchemaField(
            "num_aug", .integer(.within(0, 100_000)), .defaultValue(.int(0)),
            "Augmented copies per training puzzle (0: none; the reference uses 1000 for sudoku and arc, 8 for maze)."),
        SchemaField(
            "dihedral", .boolean, .defaultValue(.bool(true)),
            "Copies (and online samples) use grid symmetries: the 8 rotations and reflections (arc, maze); transpose and band/row, stack/column shuffles (sudoku)."
        ),
        SchemaField(
            "permute", .boolean, .defaultValue(.bool(true)),
            "Copies (and online sudoku samples) permute digits 1–n (sudoku) or colours 1–9 (arc); maze refuses false."),
        SchemaField(
            "translate", .boolean, .optional("true for arc, as the reference builder does; false for sudoku and maze"),
            "arc only: shift every training pair but one per puzzle to a random place on the 30×30 canvas; false keeps grids at the top-left. Sudoku and maze refuse true."
        ),
        SchemaField(
            "online", .boolean, .defaultValue(.bool(false)),
            "Give every training sample a fresh random symmetry as it is batched (sudoku: digits when permute, transpose, row and column shuffles; maze: a dihedral transform, relabelled by the BFS tie-break)."
        ),
    ]

    private static let modelDefaults = TRMConfig(seq_len: 0, vocab_size: 0)

    /// The model fields, in `TRMConfig.fieldNames` order; defaults come from `TRMConfig` itself.
    static let modelFields: [SchemaField] = {
        let d = modelDefaults
        return [
            SchemaField("seq_len", .integer(.atLeast(1)), .optional("taken from the dataset"), "Tokens per puzzle (S)."),
            SchemaField("vocab_size", .integer(.atLeast(2)), .optional("taken from the dataset"), "Token vocabulary size (V), pad 0 included."),
            SchemaField("hidden_size", .integer(.atLeast(1)), .defaultValue(.int(d.hidden_size)), "Hidden width (D)."),
            SchemaField("expansion", .number(.above(0)), .defaultValue(.number(d.expansion)), "SwiGLU width factor."),
            SchemaField(
                "swiglu_multiple", .integer(.atLeast(1)), .defaultValue(.int(d.swiglu_multiple)),
                "SwiGLU widths round up to a multiple of this (the reference: \(TRMConfig.referenceSwiGLUMultiple))."),
            SchemaField("num_heads", .integer(.atLeast(1)), .defaultValue(.int(d.num_heads)), "Attention heads."),
            SchemaField("L_layers", .integer(.atLeast(1)), .defaultValue(.int(d.L_layers)), "Blocks of the shared reasoning network."),
            SchemaField("H_cycles", .integer(.atLeast(1)), .defaultValue(.int(d.H_cycles)), "Outer cycles per ACT step (T)."),
            SchemaField("L_cycles", .integer(.atLeast(1)), .defaultValue(.int(d.L_cycles)), "Latent updates per outer cycle (n)."),
            SchemaField(
                "pos_encodings", .choice(PositionEncoding.allCases.map(\.rawValue)), .defaultValue(.string(d.pos_encodings.rawValue)),
                "Position encoding: rope acts in attention only; learned is added to the input in both variants."),
            SchemaField("mlp_t", .boolean, .defaultValue(.bool(d.mlp_t)), "Token-mixing MLP over positions instead of attention."),
            SchemaField(
                "puzzle_emb_ndim", .integer(.atLeast(0)), .defaultValue(.int(d.puzzle_emb_ndim)), "Width of the puzzle embedding (0 disables it)."),
            SchemaField(
                "puzzle_emb_len", .integer(.atLeast(0)),
                .optional("\(d.puzzle_emb_len) with a puzzle embedding, 0 without (puzzle_emb_ndim 0)"),
                "Prefix slots (P); 0 means ceil(puzzle_emb_ndim / hidden_size). Must be 0 when puzzle_emb_ndim is 0."),
            SchemaField(
                "num_puzzle_identifiers", .integer(.atLeast(1)), .optional("taken from the dataset"),
                "Rows of the puzzle-embedding table, the blank id 0 included."),
            SchemaField("halt_max_steps", .integer(.atLeast(1)), .defaultValue(.int(d.halt_max_steps)), "Maximum ACT steps (M) in training."),
            SchemaField(
                "halt_exploration_prob", .number(.within(0, 1)), .defaultValue(.number(d.halt_exploration_prob)),
                "Probability that a training sequence gets a random minimum number of steps."),
            SchemaField("rms_norm_eps", .number(.above(0)), .defaultValue(.number(d.rms_norm_eps)), "RMSNorm epsilon."),
            SchemaField("rope_theta", .number(.above(0)), .defaultValue(.number(d.rope_theta)), "RoPE base."),
            SchemaField(
                "no_ACT_continue", .boolean, .defaultValue(.bool(d.no_ACT_continue)),
                "Halting compares q_halt with 0 only; must stay true."),
        ]
    }()

    private static let trainingFields: [SchemaField] = [
        SchemaField(
            "batch_size", .integer(.atLeast(1)), .defaultValue(.int(768)), "Sequences per optimiser step (the reference's global_batch_size)."),
        SchemaField(
            "epochs", .integer(.atLeast(1)), .optional("100000 when steps is omitted too"),
            "Training length in passes over the puzzle groups; give epochs or steps, not both."),
        SchemaField("steps", .integer(.atLeast(1)), .optional("derived from epochs"), "Training length in optimiser steps."),
        SchemaField("lr", .number(.above(0)), .defaultValue(.number(1e-4)), "Base learning rate."),
        SchemaField("lr_warmup_steps", .integer(.atLeast(0)), .defaultValue(.int(2000)), "Linear warm-up length in steps."),
        SchemaField(
            "lr_min_ratio", .number(.within(0, 1)), .defaultValue(.number(1.0)),
            "Final lr as a fraction of the base after cosine decay (1: constant after warm-up, the reference default)."),
        SchemaField("beta1", .number(SchemaBounds(lower: 0, upper: 1, upperInclusive: false)), .defaultValue(.number(0.9)), "Adam β1."),
        SchemaField("beta2", .number(SchemaBounds(lower: 0, upper: 1, upperInclusive: false)), .defaultValue(.number(0.95)), "Adam β2."),
        SchemaField("weight_decay", .number(.atLeast(0)), .defaultValue(.number(0.1)), "Decoupled weight decay on all parameters."),
        SchemaField("puzzle_emb_lr", .number(.above(0)), .defaultValue(.number(1e-2)), "Sign-SGD learning rate of the puzzle table."),
        SchemaField("puzzle_emb_weight_decay", .number(.atLeast(0)), .defaultValue(.number(0.1)), "Weight decay of the puzzle table."),
        SchemaField(
            "loss", .choice(LossKind.allCases.map(\.rawValue)), .defaultValue(.string(LossKind.stablemax.rawValue)), "Token cross-entropy variant."),
        SchemaField("ema", .boolean, .defaultValue(.bool(false)), "Evaluate and checkpoint an exponential moving average of the weights."),
        SchemaField(
            "ema_rate", .number(SchemaBounds(lower: 0, lowerInclusive: false, upper: 1, upperInclusive: false)),
            .defaultValue(.number(0.999)), "EMA decay per step."),
        SchemaField(
            "optimizer", .choice(OptimizerKind.allCases.map(\.rawValue)), .defaultValue(.string(OptimizerKind.adam_atan2.rawValue)),
            "Optimiser of the network weights."),
        SchemaField("log_every", .integer(.atLeast(1)), .defaultValue(.int(10)), "Steps between logged training metrics."),
        SchemaField(
            "curriculum", .object(curriculumFields), .optional("every training example from the start"),
            "Easy examples first: training draws only examples whose difficulty (maze path cells incl. S and G, sudoku rating) lies in a window that moves from start to end."
        ),
    ]

    private static let curriculumFields: [SchemaField] = [
        SchemaField("steps", .integer(.atLeast(1)), .required, "Training steps over which the window moves from start to end."),
        SchemaField("start", .array(.number(.atLeast(0)), count: 2...2), .required, "[lowest, highest] difficulty drawn at step 0."),
        SchemaField(
            "end", .array(.number(.atLeast(0)), count: 2...2), .optional("the training split's whole range"),
            "[lowest, highest] difficulty drawn from step `steps` on."),
    ]

    private static let evaluationFields: [SchemaField] = [
        SchemaField(
            "interval", .integer(.atLeast(1)), .optional("evaluate only at the end"),
            "Training steps between evaluations (there is always one at the end)."),
        SchemaField(
            "max_k", .integer(.within(1, 64)), .optional("model.halt_max_steps"), "ACT steps run per test example (K statistics up to this)."),
        SchemaField(
            "halt_thresholds", .array(.number(.within(0, 1)), count: 1...16), .defaultValue(.array([.number(0.5)])),
            "Halting probabilities sigmoid(q_halt) at which halting statistics are counted."),
        SchemaField("test_limit", .integer(.atLeast(1)), .optional("the whole test set"), "Evaluate at most this many test examples."),
    ]

    private static let checkpointFields: [SchemaField] = [
        SchemaField("every", .integer(.atLeast(1)), .optional("at every evaluation"), "Training steps between checkpoints."),
        SchemaField("keep", .integer(.atLeast(0)), .defaultValue(.int(3)), "Most recent checkpoints kept, besides the best one."),
    ]
}

extension CharacterSet {
    fileprivate static let nameCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
}

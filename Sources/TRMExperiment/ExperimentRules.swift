import TRMModel

/// Checks that involve more than one field, run after the schema walk on the resolved JSON, and
/// the defaults that depend on other fields (`training.epochs`, `evaluation.max_k`,
/// `model.puzzle_emb_len`, `dataset.augmentation.translate`).
enum ExperimentRules {
    static let defaultEpochs = 100_000
    /// Evaluation keeps per-step outputs for every K, so K is capped.
    static let maxK = 64

    static func apply(to json: inout JSONValue, validator: inout ConfigValidator) {
        guard case .object(var root) = json else { return }
        if case .object(var training)? = root["training"] {
            switch (training["epochs"], training["steps"]) {
            case (.int?, .int?):
                validator.report("training.steps", .inconsistent, "training.epochs and training.steps are both set; keep one of them")
            case (.null?, .null?):
                training["epochs"] = .int(defaultEpochs)
            default: break
            }
            root["training"] = .object(training)
            if case .object(let curriculum)? = training["curriculum"] {
                checkCurriculum(curriculum, dataset: root["dataset"], validator: &validator)
            }
        }
        if case .object(var dataset)? = root["dataset"] {
            checkDataset(dataset, validator: &validator)
            // Only ARC grids can move on their canvas; the reference's ARC builder always moves them.
            if case .object(var augmentation)? = dataset["augmentation"], augmentation["translate"] == .null,
                case .string(let kind)? = dataset["kind"]
            {
                augmentation["translate"] = .bool(kind == DatasetKind.arc.rawValue)
                dataset["augmentation"] = .object(augmentation)
                root["dataset"] = .object(dataset)
            }
        }
        if case .object(var evaluation)? = root["evaluation"], case .object(let model)? = root["model"] {
            if evaluation["max_k"] == .null, case .int(let steps)? = model["halt_max_steps"] {
                if steps > maxK {
                    validator.report(
                        "evaluation.max_k", .outOfRange,
                        "defaults to model.halt_max_steps = \(steps), above the limit \(maxK); set evaluation.max_k to at most \(maxK)")
                } else {
                    evaluation["max_k"] = .int(steps)
                }
            }
            root["evaluation"] = .object(evaluation)
        }
        if case .object(var model)? = root["model"] {
            // The reference's default of 16 prefix slots only runs with a puzzle embedding (§4.2).
            if model["puzzle_emb_len"] == .null {
                let width = { if case .int(let v)? = model["puzzle_emb_ndim"] { v } else { 0 } }()
                model["puzzle_emb_len"] = .int(width > 0 ? TRMConfig(seq_len: 1, vocab_size: 2).puzzle_emb_len : 0)
                root["model"] = .object(model)
            }
            checkModel(model, dataset: root["dataset"], validator: &validator)
        }
        json = .object(root)
    }

    private static func checkDataset(_ dataset: [String: JSONValue], validator: inout ConfigValidator) {
        guard case .string(let kindName)? = dataset["kind"], let kind = DatasetKind(rawValue: kindName),
            case .string(let sourceName)? = dataset["source"], let source = DatasetSource(rawValue: sourceName)
        else { return }
        if !source.kinds.contains(kind) {
            let usable = DatasetSource.allCases.filter { $0.kinds.contains(kind) }.map { "\"\($0.rawValue)\"" }
            validator.report(
                "dataset.source", .inconsistent,
                "\"\(source.rawValue)\" cannot build \(kind.rawValue) datasets; use \(usable.joined(separator: " or "))")
        }
        let hasPath = dataset["path"].map { $0 != .null } ?? false
        if source == .generate && hasPath {
            validator.report("dataset.path", .notApplicable, "is not read when dataset.source is \"generate\"; remove it or change the source")
        } else if source != .generate && !hasPath {
            validator.report("dataset.path", .missing, "required when dataset.source is \"\(source.rawValue)\"; give the input file or folder")
        }
        if let testPath = dataset["test_path"], testPath != .null, source != .csv {
            validator.report("dataset.test_path", .notApplicable, "is read only when dataset.source is \"csv\"; remove it")
        }
        if case .array(let blanks)? = dataset["blanks"], blanks.count == 2, case .int(let low) = blanks[0], case .int(let high) = blanks[1],
            low > high
        {
            validator.report("dataset.blanks", .outOfRange, "found [\(low), \(high)], allowed: [min, max] with min ≤ max")
        }
        if let shortest = dataset["train_min_path_length"], shortest != .null, source != .generate {
            validator.report(
                "dataset.train_min_path_length", .notApplicable, "applies to generated mazes only (dataset.source \"generate\"); remove it")
        }
        if let share = dataset["train_min_path_share"], share != .null, dataset["train_min_path_length"] ?? .null == .null {
            validator.report(
                "dataset.train_min_path_share", .notApplicable,
                "says how many training mazes keep dataset.train_min_path_length; set that too, or remove it")
        }
        if case .object(let augmentation)? = dataset["augmentation"] { checkAugmentation(augmentation, kind: kind, validator: &validator) }
    }

    /// Refuses augmentation switches that cannot act on `kind`, and copies that no switch would change.
    private static func checkAugmentation(_ augmentation: [String: JSONValue], kind: DatasetKind, validator: inout ConfigValidator) {
        let path = "dataset.augmentation"
        if kind == .arc, augmentation["online"] == .bool(true) {
            validator.report("\(path).online", .notApplicable, "is available for sudoku and maze datasets; use num_aug for arc")
        }
        if kind != .arc, augmentation["translate"] == .bool(true) {
            validator.report(
                "\(path).translate", .notApplicable,
                "shifts ARC grids on the 30×30 canvas and applies only when dataset.kind is \"arc\"; remove it")
        }
        let dihedral = augmentation["dihedral"] != .bool(false), permute = augmentation["permute"] != .bool(false)
        if kind == .maze, !permute {
            validator.report(
                "\(path).permute", .notApplicable,
                "mazes have no digits or colours to permute; remove it (dihedral switches the maze augmentation)")
        }
        // What a copy or online sample can change for this kind; with nothing, it equals the original.
        let changes = kind == .maze ? dihedral : dihedral || permute
        let switches = kind == .maze ? "\(path).dihedral is false" : "\(path).dihedral and \(path).permute are both false"
        if !changes, case .int(let copies)? = augmentation["num_aug"], copies > 0 {
            validator.report(
                "\(path).num_aug", .inconsistent,
                "asks for \(copies) copies per puzzle, but \(switches), so every copy would equal the original; switch one on or set num_aug to 0")
        }
        if !changes, kind != .arc, augmentation["online"] == .bool(true) {
            validator.report(
                "\(path).online", .inconsistent,
                "draws a fresh view per sample, but \(switches), so nothing would change; switch one on or online off")
        }
    }

    /// A curriculum needs rated examples and windows whose lowest bound is not above the highest.
    private static func checkCurriculum(_ curriculum: [String: JSONValue], dataset: JSONValue?, validator: inout ConfigValidator) {
        if case .object(let d)? = dataset, d["kind"] == .string(DatasetKind.arc.rawValue) {
            validator.report(
                "training.curriculum", .notApplicable,
                "needs a difficulty per training example (maze path cells, sudoku rating), which ARC puzzles do not have; remove it")
        }
        for key in ["start", "end"] {
            if case .array(let bounds)? = curriculum[key], bounds.count == 2, case .number(let lower) = bounds[0],
                case .number(let upper) = bounds[1], lower > upper
            {
                validator.report("training.curriculum.\(key)", .inconsistent, "is [lowest, highest] difficulty; found the lowest above the highest")
            }
        }
    }

    /// Runs the engine's own model check with the sizes the dataset will most likely provide,
    /// so that impossible shapes are caught before a dataset is built.
    private static func checkModel(_ model: [String: JSONValue], dataset: JSONValue?, validator: inout ConfigValidator) {
        var config = TRMConfig(seq_len: 1, vocab_size: 2)
        if case .string(let kind)? = dataset?[path: "kind"] {
            switch DatasetKind(rawValue: kind) {
            case .sudoku:
                let side = { if case .string(let n)? = dataset?[path: "sudoku_size"] { Int(n) ?? 9 } else { 9 } }()
                (config.seq_len, config.vocab_size) = (side * side, side + 2)
            case .maze:
                let side = { if case .int(let n)? = dataset?[path: "grid_size"] { n } else { 30 } }()
                (config.seq_len, config.vocab_size) = (side * side, 6)
            case .arc: (config.seq_len, config.vocab_size) = (900, 12)
            case nil: break
            }
        }
        func int(_ key: String) -> Int? { if case .int(let v)? = model[key] { v } else { nil } }
        func number(_ key: String) -> Double? { if case .number(let v)? = model[key] { v } else { nil } }
        func bool(_ key: String) -> Bool? { if case .bool(let v)? = model[key] { v } else { nil } }
        if let v = int("seq_len") { config.seq_len = v }
        if let v = int("vocab_size") { config.vocab_size = v }
        if let v = int("num_puzzle_identifiers") { config.num_puzzle_identifiers = v }
        if let v = int("hidden_size") { config.hidden_size = v }
        if let v = number("expansion") { config.expansion = v }
        if let v = int("swiglu_multiple") { config.swiglu_multiple = v }
        if let v = int("num_heads") { config.num_heads = v }
        if let v = int("L_layers") { config.L_layers = v }
        if let v = int("H_cycles") { config.H_cycles = v }
        if let v = int("L_cycles") { config.L_cycles = v }
        if case .string(let v)? = model["pos_encodings"], let e = PositionEncoding(rawValue: v) { config.pos_encodings = e }
        if let v = bool("mlp_t") { config.mlp_t = v }
        if let v = int("puzzle_emb_ndim") { config.puzzle_emb_ndim = v }
        if let v = int("puzzle_emb_len") { config.puzzle_emb_len = v }
        if let v = int("halt_max_steps") { config.halt_max_steps = v }
        if let v = number("halt_exploration_prob") { config.halt_exploration_prob = v }
        if let v = bool("no_ACT_continue") { config.no_ACT_continue = v }
        do { try config.validate() } catch {
            validator.report("model", .inconsistent, "\(error)")
        }
    }
}

import ArgumentParser
import Foundation
import TRMCore
import TRMData
import TRMExperiment

enum DataSource: String, ExpressibleByArgument, CaseIterable {
    case csv, arcJson = "arc-json", arcFolder = "arc-folder", generate
}

struct DataBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a dataset in the reference on-disk format (dataset.json + .npy per split).",
        discussion: """
            From an experiment config, --config builds its dataset section exactly as `trm-exp run` does: into the \
            config's cache_dir, under the same cache entry a run then reads (--set overrides fields as for run; \
            the flag-mode options below are refused with --config). From flags, --kind and --source say what to build and --out where.

            Examples:
              trm-exp data build --config experiments/sudoku_mlp.json
              trm-exp data build --config experiments/smoke.json --set dataset.train_count=500 --out data/smoke
              trm-exp data build --kind sudoku --source csv --train-csv train.csv --test-csv test.csv --subsample 1000 --num-aug 1000 --out data/sudoku
              trm-exp data build --kind maze --source generate --train-count 1000 --test-count 1000 --out data/maze
              trm-exp data build --kind arc --source arc-json --arc-dir kaggle/combined --subsets training evaluation concept --test-set evaluation --out data/arc1
            """)

    @Option(help: ArgumentHelp("Build the dataset section of this experiment config, as `trm-exp run` would.", valueName: "file"))
    var config: String?
    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("With --config: override a config field (repeatable), e.g. --set dataset.train_count=500.", valueName: "path=value"))
    var overrides: [String] = []
    @Option(help: "Puzzle kind: sudoku, maze or arc.")
    var kind: PuzzleKind?
    @Option(
        help: "Where puzzles come from: csv (published CSV files), arc-json (Kaggle combined files), arc-folder (one JSON file per task), generate.")
    var source: DataSource?
    @Option(help: "Output folder (replaced atomically); optional with --config, whose cache entry is itself a dataset folder.")
    var out: String?
    @Option(help: "Seed for subsampling, augmentation, translation and generation (default 0).")
    var seed: UInt64?
    @Flag(help: "Skip invalid rows (reporting how many and the first few) instead of stopping.")
    var skipInvalid = false
    @Option(help: "Dataset cache folder: reuse the entry for the same source bytes, options and seed, or build and store it.")
    var cache: String?

    @Option(help: "CSV source: training CSV file.")
    var trainCsv: String?
    @Option(help: "CSV source: test CSV file.")
    var testCsv: String?
    @Option(help: "Keep this many training puzzles, drawn uniformly without replacement.")
    var subsample: Int?
    @Option(help: "Sudoku: keep only rows with rating at least this (train and test).")
    var minDifficulty: Int?
    @Option(help: "Sudoku: shuffled copies per training puzzle. ARC: augmented copies per task (reference default 1000).")
    var numAug: Int?
    @Flag(help: "Maze: add the 8 dihedral transforms of each training maze.")
    var aug = false
    @Flag(help: "Maze: after a dihedral transform, recompute the label with the BFS tie-break.")
    var relabel = false

    @Option(help: "ARC arc-json source: folder holding <prefix>_<subset>_{challenges,solutions}.json.")
    var arcDir: String?
    @Option(help: "ARC arc-json source: file name prefix (default arc-agi).")
    var arcPrefix: String?
    @Option(parsing: .upToNextOption, help: "ARC arc-json source: subsets in order, e.g. training evaluation concept.")
    var subsets: [String] = []
    @Option(parsing: .upToNextOption, help: "ARC: subsets (or task folders) whose test pairs form the test split.")
    var testSet: [String] = []
    @Option(parsing: .upToNextOption, help: "ARC arc-folder source: folders of per-task JSON files, each one subset named after the folder.")
    var arcFolder: [String] = []

    @Option(help: "Generate source: training puzzles (default 1000).")
    var trainCount: Int?
    @Option(help: "Generate source: test puzzles (default 1000).")
    var testCount: Int?
    @OptionGroup var generator: GeneratorOptions

    /// The flag-mode options given on the command line, by flag name; `--config` refuses them all.
    var flagModeOptions: [String] {
        let values: [(String, Any?)] = [
            ("--seed", seed), ("--train-csv", trainCsv), ("--test-csv", testCsv), ("--subsample", subsample),
            ("--min-difficulty", minDifficulty), ("--num-aug", numAug), ("--arc-dir", arcDir), ("--arc-prefix", arcPrefix),
            ("--train-count", trainCount), ("--test-count", testCount),
        ]
        let lists = [("--subsets", subsets), ("--test-set", testSet), ("--arc-folder", arcFolder)]
        let flags = [("--aug", aug), ("--relabel", relabel)]
        return values.compactMap { $0.1 == nil ? nil : $0.0 } + lists.compactMap { $0.1.isEmpty ? nil : $0.0 }
            + flags.compactMap { $0.1 ? $0.0 : nil } + generator.given
    }

    func validate() throws {
        if config != nil {
            guard kind == nil, source == nil, cache == nil else {
                throw ValidationError("--config takes the kind, source and cache_dir from the config; leave out --kind, --source and --cache")
            }
            guard !skipInvalid else { throw ValidationError("with --config, skip invalid rows with --set dataset.skip_invalid=true") }
            let given = flagModeOptions
            guard given.isEmpty else {
                throw ValidationError(
                    "\(given.joined(separator: ", ")) \(given.count == 1 ? "builds" : "build") from flags and would be ignored with --config; change the config instead with --set path=value (e.g. --set seed=1, --set dataset.train_count=500, --set dataset.augmentation.num_aug=8; `trm-exp config --schema` lists the fields)"
                )
            }
            return
        }
        guard overrides.isEmpty else { throw ValidationError("--set overrides fields of --config; give a config file") }
        guard let kind, let source, out != nil else {
            throw ValidationError("give --config FILE, or --kind, --source and --out to build from flags")
        }
        switch (kind, source) {
        case (.sudoku, .csv), (.maze, .csv):
            guard trainCsv != nil, testCsv != nil else { throw ValidationError("--source csv needs --train-csv and --test-csv") }
        case (.arc, .arcJson):
            guard arcDir != nil, !subsets.isEmpty else { throw ValidationError("--source arc-json needs --arc-dir and --subsets") }
        case (.arc, .arcFolder):
            guard !arcFolder.isEmpty else { throw ValidationError("--source arc-folder needs --arc-folder DIR [DIR…]") }
        case (.sudoku, .generate), (.maze, .generate):
            guard trainCount ?? 1000 > 0, testCount ?? 1000 >= 0 else {
                throw ValidationError("--train-count must be positive and --test-count not negative")
            }
            if kind == .sudoku { _ = try generator.sudoku() } else { _ = try generator.maze() }
        default:
            throw ValidationError(
                "--kind \(kind.rawValue) cannot use --source \(source.rawValue); Sudoku and Maze use csv or generate, ARC uses arc-json or arc-folder"
            )
        }
        if let s = subsample, s <= 0 { throw ValidationError("--subsample must be positive") }
        if let n = numAug, n < 0 { throw ValidationError("--num-aug must not be negative") }
    }

    func recipe() throws -> DatasetRecipe {
        let recipeSource: DatasetRecipe.Source
        switch source! {
        case .csv: recipeSource = .csv(train: trainCsv!, test: testCsv!)
        case .arcJson: recipeSource = .arcCombined(directory: arcDir!, prefix: arcPrefix ?? "arc-agi", subsets: subsets)
        case .arcFolder: recipeSource = .arcFolders(arcFolder)
        case .generate: recipeSource = .generate(trainCount: trainCount ?? 1000, testCount: testCount ?? 1000)
        }
        let recipeKind = DatasetRecipe.Kind(rawValue: kind!.rawValue)!
        let seed = seed ?? 0
        return DatasetRecipe(
            kind: recipeKind, source: recipeSource, seed: seed,
            sudoku: SudokuBuildOptions(subsampleSize: subsample, minDifficulty: minDifficulty, numAug: numAug ?? 0, seed: seed),
            maze: MazeBuildOptions(subsampleSize: subsample, augment: aug, relabelAfterTransform: relabel, seed: seed),
            arc: ARCBuildOptions(testSetNames: testSet, numAug: numAug ?? 1000, seed: seed),
            sudokuGenerator: kind == .sudoku && source == .generate ? try generator.sudoku() : SudokuGeneratorOptions(),
            mazeGenerator: kind == .maze && source == .generate ? try generator.maze() : MazeGeneratorOptions(),
            skipInvalid: skipInvalid)
    }

    func run() throws {
        let start = Date()
        let dataset = try config != nil ? buildFromConfig() : buildFromFlags()
        if let out {
            let outURL = URL(fileURLWithPath: out)
            try ReferenceFormat.write(dataset, to: outURL)
            print("wrote \(outURL.path)")
        }
        print(
            "train \(dataset.train.exampleCount) examples / \(dataset.train.groupCount) groups, test \(dataset.test.exampleCount) examples / \(dataset.test.groupCount) groups, \(dataset.identifiers.count) identifiers (\(String(format: "%.1f", Date().timeIntervalSince(start))) s)"
        )
    }

    /// The config's dataset section through the runner's own preparation (same recipe, seed and
    /// cache entry as `trm-exp run`).
    private func buildFromConfig() throws -> PuzzleDataset {
        let experiment: ResolvedExperiment
        do {
            experiment = try ExperimentConfig.load(contentsOf: URL(fileURLWithPath: config!), overrides: overrides)
        } catch let error as ConfigError {
            Console.standardError.writeLine(error.description)
            throw ExitCode(1)
        }
        let prepared = try DatasetPreparation.prepare(
            experiment.config, progress: DatasetProgressDisplay()
        ) {
            print($0)
        }
        if let folder = prepared.cacheFolder {
            print("cache entry \(folder.path) (\(prepared.cached ? "read from the cache" : "built"))")
        } else {
            print(prepared.summary)
        }
        return prepared.dataset
    }

    private func buildFromFlags() throws -> PuzzleDataset {
        let display = DatasetProgressDisplay()
        let ingest = IngestOptions(progress: display.ingest)
        let progress = display.generation
        let recipe = try recipe()
        guard let cache else {
            let (dataset, reports) = try recipe.build(ingest: ingest, generationProgress: progress)
            display.finish()
            printReports(reports)
            return dataset
        }
        let built = try recipe.build(cache: DatasetCache(root: URL(fileURLWithPath: cache)), ingest: ingest, generationProgress: progress)
        display.finish()
        printReports(built.reports)
        switch built.outcome {
        case .hit: print("read from cache \(built.folder.path)")
        case .built: print("stored in cache \(built.folder.path)")
        case .rebuilt(let reason): print("rebuilt cache entry \(built.folder.path): \(reason)")
        }
        return built.dataset
    }

    /// One block per ingested source: items read, accepted and skipped, and the first skipped items' errors.
    private func printReports(_ reports: [IngestReport]) {
        for report in reports { print("\(report.source): \(report)") }
    }
}

struct DataShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Summarise a dataset folder: counts, difficulty histogram and a few puzzles drawn as grids.")

    @Argument(help: "Dataset folder in the reference format.")
    var dir: String
    @Option(help: "Split to show: train or test.")
    var split = "train"
    @Option(help: "Number of puzzles to draw.")
    var examples = 2

    func run() throws {
        let ds = try ReferenceFormat.read(URL(fileURLWithPath: dir))
        guard let s = ds.split(split) else { throw ValidationError("--split must be train or test") }
        for (name, sp) in [("train", ds.train), ("test", ds.test)] {
            print(
                "\(name): \(sp.exampleCount) examples, \(sp.puzzleCount) puzzles, \(sp.groupCount) groups; seq_len \(sp.metadata.seqLen), vocab \(sp.metadata.vocabSize), identifiers \(sp.metadata.numPuzzleIdentifiers)"
            )
        }
        let side = Int(Double(s.metadata.seqLen).squareRoot())
        // A maze has 6 tokens (pad + `# SGo`) on a side of 5 or more; an n×n Sudoku has n + 2, so a
        // 4×4 Sudoku also has 6 and is told apart by its side.
        let isMaze = s.metadata.vocabSize == 6 && side != 4
        if let d = s.difficulty, !d.isEmpty {
            let lo = Int(d.min()!), hi = Int(d.max()!)
            let bins = min(10, hi - lo + 1)
            let width = max(1, (hi - lo + bins) / bins)
            var counts = [Int](repeating: 0, count: bins)
            for v in d { counts[min(bins - 1, (Int(v) - lo) / width)] += 1 }
            let label = isMaze ? "path cells" : "rating"
            print(
                "\(split) \(label) histogram (min \(lo), max \(hi), mean \(String(format: "%.1f", Double(d.reduce(0) { $0 + Int($1) }) / Double(d.count)))):"
            )
            let top = counts.max() ?? 1
            for (i, c) in counts.enumerated() {
                let a = lo + i * width
                print(String(format: "  %5d–%-5d %8d ", a, a + width - 1, c) + String(repeating: "#", count: top == 0 ? 0 : (40 * c + top - 1) / top))
            }
        }
        for e in 0..<min(examples, s.exampleCount) {
            let p = s.puzzle(ofExample: e)
            print(
                "\nexample \(e) (puzzle \(p), identifier \(ds.identifiers.indices.contains(Int(s.puzzleIdentifiers[p])) ? ds.identifiers[Int(s.puzzleIdentifiers[p])] : "?"))"
            )
            let inRows = render(Array(s.input(e)), side: side, vocab: s.metadata.vocabSize, isMaze: isMaze)
            let outRows = render(Array(s.label(e)), side: side, vocab: s.metadata.vocabSize, isMaze: isMaze)
            for (a, b) in zip(inRows, outRows) { print(a + "   " + b) }
        }
    }

    func render(_ tokens: [UInt8], side: Int, vocab: Int, isMaze: Bool) -> [String] {
        (0..<side).map { r in
            String(
                tokens[(r * side)..<((r + 1) * side)].map { t -> Character in
                    switch vocab {
                    case 6 where isMaze: return t >= 1 && t <= 5 ? Character(UnicodeScalar(MazeRecord.alphabet[Int(t) - 1])) : "?"
                    case 12: return t == 0 ? " " : t == 1 ? "|" : Character(String(t - 2))
                    default: return t <= 1 ? "." : Character(String(t - 1, radix: 36))
                    }
                })
        }
    }
}

struct DataExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a dataset for the official PyTorch trainer (reference numpy layout), verifying it on the way.")

    @Argument(help: "Dataset folder to export.")
    var dir: String
    @Option(help: "Output format; only trm-numpy (dataset.json + .npy per split) is supported.")
    var format = "trm-numpy"
    @Option(help: "Output folder (replaced atomically).")
    var out: String

    func run() throws { try copyReferenceDataset(from: dir, to: out, format: format, verb: "exported", preposition: "to") }
}

struct DataImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a dataset built by the official builders (any integer dtype), verifying and normalising it to uint8 inputs/labels.")

    @Argument(help: "Folder written by the reference builder (train/ test/ identifiers.json).")
    var dir: String
    @Option(help: "Input format; only trm-numpy is supported.")
    var format = "trm-numpy"
    @Option(help: "Output folder (replaced atomically).")
    var out: String

    func run() throws { try copyReferenceDataset(from: dir, to: out, format: format, verb: "imported", preposition: "into") }
}

/// Export and import are the same operation: read a reference-layout folder (verifying every
/// array and accepting any integer dtype), then write it atomically as uint8 arrays.
private func copyReferenceDataset(from dir: String, to out: String, format: String, verb: String, preposition: String) throws {
    guard format == "trm-numpy" else { throw ValidationError("--format must be trm-numpy") }
    let ds = try ReferenceFormat.read(URL(fileURLWithPath: dir))
    try ReferenceFormat.write(ds, to: URL(fileURLWithPath: out))
    print("\(verb) \(ds.train.exampleCount) train and \(ds.test.exampleCount) test examples \(preposition) \(out)")
}

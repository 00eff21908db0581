import Foundation
import TRMCore
import TRMData

/// A dataset ready for a run, and the digest that identifies its content.
public struct PreparedDataset: Sendable {
    /// The built (or cached) train and test splits.
    public let dataset: PuzzleDataset
    /// Digest of the source bytes, the dataset recipe and the seed.
    public let digest: String
    /// One line saying where it came from, for logs.
    public let summary: String
    /// What ingesting each source file reported (skipped items with `skip_invalid`); kept in the
    /// cache entry, so a cached dataset reports them too. Empty for generated data.
    public var reports: [IngestReport] = []
    /// The dataset cache entry holding the arrays; nil when the config reads a dataset folder.
    public var cacheFolder: URL? = nil
    /// Whether the dataset was read from the cache (false when built, rebuilt or read from a dataset folder).
    public var cached = false
}

/// Turns a config's `dataset` section into arrays through a `DatasetRecipe`, cached under
/// `cache_dir` by content digest so an unchanged dataset is read instead of rebuilt. `trm-exp run`
/// and `trm-exp data build --config` both come through here, so they build the same entry.
public enum DatasetPreparation {
    /// Builds or loads an experiment's dataset, with its dataset seed (`ExperimentConfig.datasetSeed`),
    /// so every command that needs a run's puzzles gets the ones it trained and tested on.
    /// - Throws: `DatasetError`/`DatasetUsageError` with file and line for bad inputs.
    public static func prepare(
        _ experiment: ExperimentConfig, progress: DatasetProgressDisplay? = nil, log: (String) -> Void = { _ in }
    ) throws -> PreparedDataset {
        try prepare(experiment.dataset, seed: experiment.datasetSeed, progress: progress, log: log)
    }

    /// Builds or loads the dataset.
    /// - Parameters:
    ///   - c: the config's `dataset` section.
    ///   - seed: the dataset seed (generation and offline augmentation derive from it).
    ///   - progress: shows progress while source files are read or puzzles generated (nil: nothing is shown).
    ///   - log: receives one line per build or cache step and per ingested source (items read,
    ///     accepted, skipped and the first skipped items' errors), for the run log.
    /// - Throws: `DatasetError`/`DatasetUsageError` with file and line for bad inputs.
    public static func prepare(
        _ c: DatasetConfig, seed: Int, progress: DatasetProgressDisplay? = nil, log: (String) -> Void = { _ in }
    ) throws -> PreparedDataset {
        let recipe = try recipe(for: c, seed: subSeed(UInt64(seed), 0xDA7A5E7))
        let digest = try recipe.cacheKey()
        if case .referenceFolder(let path) = recipe.source {
            return PreparedDataset(dataset: try recipe.build().dataset, digest: digest, summary: "read \(path)")
        }
        let cache = DatasetCache(root: URL(fileURLWithPath: c.cache_dir))
        let folder = cache.folder(for: digest).path
        if !cache.contains(key: digest) { log("building the \(c.kind.rawValue) dataset (\(c.source.rawValue)) into \(folder)") }
        let built: CachedBuild
        do {
            defer { progress?.finish() }
            built = try recipe.build(cache: cache, ingest: IngestOptions(progress: progress?.ingest), generationProgress: progress?.generation)
        }
        if case .rebuilt(let reason) = built.outcome { log("rebuilt \(folder): \(reason)") }
        for report in built.reports { log("\(report.source): \(report)") }
        let summary = "\(built.cached ? "cached" : "built") \(folder)"
        return PreparedDataset(
            dataset: built.dataset, digest: digest, summary: summary, reports: built.reports, cacheFolder: built.folder,
            cached: built.cached)
    }

    /// The recipe a dataset section describes.
    public static func recipe(for c: DatasetConfig, seed: UInt64) throws -> DatasetRecipe {
        let kind = DatasetRecipe.Kind(rawValue: c.kind.rawValue)!
        let source: DatasetRecipe.Source
        switch c.source {
        case .generate: source = .generate(trainCount: c.train_count ?? 1000, testCount: c.test_count ?? 1000)
        case .csv:
            source = .csv(
                train: try existing(c.path, "dataset.path", "the published train.csv"),
                test: try existing(c.test_path, "dataset.test_path", "the published test.csv"))
        case .arcJSON:
            let directory = try existing(c.path, "dataset.path", "the folder holding arc-agi_<subset>_challenges.json files")
            source = .arcCombined(directory: directory, prefix: "arc-agi", subsets: arcSubsets(c))
        case .arcFolder:
            let directory = try existing(c.path, "dataset.path", "the folder holding one folder of task files per subset")
            source = .arcFolders(
                try arcSubsets(c).map {
                    try existing(
                        URL(fileURLWithPath: directory).appendingPathComponent($0).path, "dataset.path",
                        "a folder named \($0) of per-task JSON files inside \(directory) (one per subset in dataset.subsets and dataset.test_set)")
                })
        case .trmNumpy: source = .referenceFolder(try existing(c.path, "dataset.path", "a folder written by the reference's dataset builders"))
        }
        var recipe = DatasetRecipe(kind: kind, source: source, seed: seed, skipInvalid: c.skip_invalid ?? false)
        let numAug = c.augmentation.num_aug
        switch c.kind {
        case .sudoku:
            let side = Int(c.sudoku_size ?? "9") ?? 9
            guard let shape = SudokuShape.forSide(side) else { throw DatasetUsageError("dataset.sudoku_size must be 4, 6 or 9") }
            let blanks = c.blanks ?? [4: [6, 10], 6: [18, 22]][side] ?? [45, 64]
            recipe.sudokuGenerator = SudokuGeneratorOptions(shape: shape, minBlanks: blanks[0], maxBlanks: blanks[1], minRating: c.min_rating ?? 0)
            recipe.sudoku = SudokuBuildOptions(
                subsampleSize: c.source == .csv ? c.train_count : nil,
                minDifficulty: c.source == .csv ? c.min_rating.flatMap { $0 > 0 ? $0 : nil } : nil,
                numAug: numAug, permuteDigits: c.augmentation.permute, shuffleGrid: c.augmentation.dihedral)
        case .maze:
            var generator = MazeGeneratorOptions(side: c.grid_size ?? 30, minPathCells: c.min_path_length)
            if let density = c.wall_density { (generator.minWallDensity, generator.maxWallDensity) = (density, density) }
            recipe.mazeGenerator = generator
            if let shortest = c.train_min_path_length {
                var training = generator
                training.minPathCells = shortest
                recipe.trainMazeGenerator = training
                recipe.trainMazeShare = c.train_min_path_share.flatMap { $0 < 1 ? $0 : nil }
            }
            recipe.maze = MazeBuildOptions(
                subsampleSize: c.source == .csv ? c.train_count : nil, augment: numAug > 0 && c.augmentation.dihedral, relabelAfterTransform: true)
        case .arc:
            recipe.arc = ARCBuildOptions(
                testSetNames: [(c.test_set ?? .evaluation).rawValue], numAug: numAug, dihedral: c.augmentation.dihedral,
                permuteColours: c.augmentation.permute, translate: c.augmentation.translate)
        }
        return recipe
    }

    /// The per-sample augmentation `dataset.augmentation.online` asks for, sized from the built
    /// split (nil when off, or for kinds without one).
    public static func onlineAugmentation(for c: DatasetConfig, split: PuzzleSplit) -> OnlineAugmentation? {
        guard c.augmentation.online else { return nil }
        let side = Int(Double(split.metadata.seqLen).squareRoot())
        switch c.kind {
        case .sudoku:
            return SudokuShape.forSide(side).map {
                .sudoku($0, permuteDigits: c.augmentation.permute, shuffleGrid: c.augmentation.dihedral)
            }
        case .maze: return .maze(side: side)
        case .arc: return nil
        }
    }

    /// The difficulty window of `training.curriculum` over `split`; an omitted `end` is the split's
    /// whole range of difficulty.
    public static func curriculum(_ c: CurriculumConfig, split: PuzzleSplit) throws -> DifficultyCurriculum {
        guard let difficulty = split.difficulty, let lowest = difficulty.min(), let highest = difficulty.max() else {
            throw RunStoreError(
                "training.curriculum needs a difficulty per training example (maze path cells, sudoku rating), and this dataset has none; remove training.curriculum"
            )
        }
        let end = c.end ?? [Double(lowest), Double(highest)]
        return DifficultyCurriculum(steps: c.steps, start: c.start[0]...c.start[1], end: end[0]...end[1])
    }

    /// The ARC subsets to read, in order: `subsets` (default training, evaluation, concept), then
    /// `test_set` if it is not among them.
    private static func arcSubsets(_ c: DatasetConfig) -> [String] {
        let testSet = (c.test_set ?? .evaluation).rawValue
        var subsets = (c.subsets ?? [.training, .evaluation, .concept]).map(\.rawValue)
        if !subsets.contains(testSet) { subsets.append(testSet) }
        return subsets
    }

    /// A seed for one concern, derived from a given seed.
    static func subSeed(_ seed: UInt64, _ stream: UInt64) -> UInt64 {
        var generator = RandomGenerator.derived(seed: seed, stream: stream)
        return generator.next()
    }

    private static func existing(_ path: String?, _ field: String, _ what: String) throws -> String {
        guard let path else { throw DatasetUsageError("\(field) is required for this source: give \(what)") }
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetUsageError("\(field) \(path) does not exist (datasets/README.md says where to put the published files)")
        }
        return path
    }
}

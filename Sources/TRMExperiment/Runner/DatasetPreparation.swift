import Foundation
import TRMCore
import TRMData

/// A dataset ready for a run, and the digest that identifies its content.
public struct PreparedDataset: Sendable {
    public let dataset: PuzzleDataset
    /// Digest of the source bytes, the dataset section of the config and the seed.
    public let digest: String
    /// One line saying where it came from, for logs.
    public let summary: String
}

/// Turns a config's `dataset` section into arrays: generated, ingested (csv, ARC JSON) or read
/// (reference numpy folders), cached under `cache_dir` by content digest so an unchanged dataset
/// is read instead of rebuilt.
public enum DatasetPreparation {
    /// Builds or loads the dataset.
    /// - Parameter seed: the experiment seed (generation and augmentation derive from it).
    /// - Throws: `DatasetError`/`DatasetUsageError` with file and line for bad inputs.
    public static func prepare(_ c: DatasetConfig, seed: Int, log: (String) -> Void = { _ in }) throws -> PreparedDataset {
        let seed = UInt64(seed)
        if c.source == .trmNumpy {
            let folder = try requirePath(c.path, "dataset.path", "a folder written by the reference's dataset builders")
            let key = try DatasetCache.key(kind: c.kind.rawValue, sourceFiles: referenceFiles(folder), options: c, seed: seed)
            return PreparedDataset(dataset: try ReferenceFormat.read(folder), digest: key, summary: "read \(folder.path)")
        }
        let sources = try sourceFiles(c)
        let key = try DatasetCache.key(kind: c.kind.rawValue, sourceFiles: sources, options: c, seed: seed)
        let cache = DatasetCache(root: URL(fileURLWithPath: c.cache_dir))
        if let cached = try cache.load(key: key) {
            return PreparedDataset(dataset: cached, digest: key, summary: "cached \(cache.folder(for: key).path)")
        }
        log("building the \(c.kind.rawValue) dataset (\(c.source.rawValue)); it is cached in \(cache.folder(for: key).path)")
        let dataset = try cache.dataset(key: key) { try build(c, seed: seed, log: log) }
        return PreparedDataset(dataset: dataset, digest: key, summary: "built \(cache.folder(for: key).path)")
    }

    private static func build(_ c: DatasetConfig, seed: UInt64, log: (String) -> Void) throws -> PuzzleDataset {
        let augmentationSeed = subSeed(seed, 0xA06)
        switch (c.kind, c.source) {
        case (.sudoku, .generate):
            let side = Int(c.sudoku_size ?? "9") ?? 9
            guard let shape = SudokuShape.forSide(side) else { throw DatasetUsageError("dataset.sudoku_size must be 4, 6 or 9") }
            let blanks = c.blanks ?? [45, 64]
            let options = SudokuGeneratorOptions(
                shape: shape, minBlanks: min(blanks[0], shape.cells - 1), maxBlanks: min(blanks[1], shape.cells - 1), minRating: c.min_rating ?? 0)
            let (train, test) = try distinctSplits(trainCount: c.train_count ?? 1000, testCount: c.test_count ?? 1000, key: \SudokuRecord.question) {
                count, stream in
                log("generating \(count) \(shape) Sudoku puzzles")
                return try SudokuGenerator.generate(count: count, options: options, seed: subSeed(seed, stream))
            }
            return SudokuDatasetBuilder.build(train: train, test: test, options: SudokuBuildOptions(numAug: c.augmentation.num_aug, seed: augmentationSeed))
        case (.maze, .generate):
            let density = c.wall_density ?? 0.3
            let options = MazeGeneratorOptions(
                side: c.grid_size ?? 30, minWallDensity: density, maxWallDensity: density, minPathCells: c.min_path_length)
            let (train, test) = try distinctSplits(trainCount: c.train_count ?? 1000, testCount: c.test_count ?? 1000, key: \MazeRecord.question) {
                count, stream in
                log("generating \(count) \(options.side)×\(options.side) mazes")
                return try MazeGenerator.generate(count: count, options: options, seed: subSeed(seed, stream))
            }
            return MazeDatasetBuilder.build(train: train, test: test, options: mazeOptions(c, seed: augmentationSeed))
        case (.sudoku, .csv):
            let (train, test) = try csvPaths(c)
            var options = SudokuBuildOptions(subsampleSize: c.train_count, numAug: c.augmentation.num_aug, seed: augmentationSeed)
            if let rating = c.min_rating, rating > 0 { options.minDifficulty = rating }
            return try SudokuDatasetBuilder.build(trainCSV: train, testCSV: test, options: options).dataset
        case (.maze, .csv):
            let (trainURL, testURL) = try csvPaths(c)
            var train = try MazeCSV.load(trainURL).records
            if let limit = c.train_count, limit < train.count {
                var rng = RandomGenerator(seed: augmentationSeed)
                train.shuffle(using: &rng)
                train.removeLast(train.count - limit)
            }
            return MazeDatasetBuilder.build(train: train, test: try MazeCSV.load(testURL).records, options: mazeOptions(c, seed: augmentationSeed))
        case (.arc, .arcJSON):
            let folder = try requirePath(c.path, "dataset.path", "the folder holding arc-agi_<subset>_challenges.json files")
            let testSet = (c.test_set ?? .evaluation).rawValue
            var subsets = (c.subsets ?? [.training, .evaluation, .concept]).map(\.rawValue)
            if !subsets.contains(testSet) { subsets.append(testSet) }
            let options = ARCBuildOptions(testSetNames: [testSet], numAug: c.augmentation.num_aug, seed: augmentationSeed)
            return try ARCDatasetBuilder.build(directory: folder, subsets: subsets, options: options)
        default:
            throw DatasetUsageError(
                "dataset.source \(c.source.rawValue) cannot build kind \(c.kind.rawValue); allowed sources for \(c.kind.rawValue): "
                    + DatasetSource.allCases.filter { $0.kinds.contains(c.kind) }.map(\.rawValue).joined(separator: ", "))
        }
    }

    /// A seed for one concern, derived from the experiment seed.
    static func subSeed(_ seed: UInt64, _ stream: UInt64) -> UInt64 {
        var generator = RandomGenerator.derived(seed: seed, stream: stream)
        return generator.next()
    }

    private static func mazeOptions(_ c: DatasetConfig, seed: UInt64) -> MazeBuildOptions {
        MazeBuildOptions(augment: c.augmentation.num_aug > 0 && c.augmentation.dihedral, relabelAfterTransform: true, seed: seed)
    }

    /// Generates train and test sets whose questions never coincide (extra draws replace duplicates).
    private static func distinctSplits<Record>(
        trainCount: Int, testCount: Int, key: KeyPath<Record, [UInt8]>, generate: (Int, UInt64) throws -> [Record]
    ) throws -> ([Record], [Record]) {
        var seen = Set<[UInt8]>()
        var train: [Record] = []
        var test: [Record] = []
        var round: UInt64 = 0
        while train.count < trainCount || test.count < testCount {
            let needed = (trainCount - train.count) + (testCount - test.count)
            guard round < 8 else {
                throw DatasetUsageError(
                    "could only generate \(train.count + test.count) distinct puzzles of the \(trainCount + testCount) asked for; lower train_count/test_count or widen the generator settings")
            }
            for record in try generate(needed + needed / 10 + 1, round) where seen.insert(record[keyPath: key]).inserted {
                if train.count < trainCount { train.append(record) } else if test.count < testCount { test.append(record) }
            }
            round += 1
        }
        return (train, test)
    }

    private static func requirePath(_ path: String?, _ field: String, _ what: String) throws -> URL {
        guard let path else { throw DatasetUsageError("\(field) is required for this source: give \(what)") }
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DatasetUsageError("\(field) \(path) does not exist (see datasets/README.md for where to put the published files)")
        }
        return url
    }

    private static func csvPaths(_ c: DatasetConfig) throws -> (URL, URL) {
        (
            try requirePath(c.path, "dataset.path", "the published train.csv"),
            try requirePath(c.test_path, "dataset.test_path", "the published test.csv")
        )
    }

    private static func sourceFiles(_ c: DatasetConfig) throws -> [URL] {
        switch c.source {
        case .generate: return []
        case .csv:
            let (train, test) = try csvPaths(c)
            return [train, test]
        case .arcJSON, .trmNumpy:
            let folder = try requirePath(c.path, "dataset.path", "a dataset folder")
            return try referenceFiles(folder)
        }
    }

    /// Every regular file under a folder, sorted, for the content digest.
    private static func referenceFiles(_ folder: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return enumerator.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
    }
}

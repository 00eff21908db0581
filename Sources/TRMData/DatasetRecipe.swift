import Foundation

/// A generated puzzle with its question grid.
protocol PuzzleRecord { var question: [UInt8] { get } }
extension SudokuRecord: PuzzleRecord {}
extension MazeRecord: PuzzleRecord {}

/// Everything needed to build a dataset, as one Codable value a run configuration can hold:
/// the kind, where the puzzles come from, the builder and generator options and the seed.
public struct DatasetRecipe: Codable, Sendable, Equatable {
    /// Puzzle family.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Sudoku grids, mazes (shortest path) or ARC tasks.
        case sudoku, maze, arc
    }

    /// Where the puzzles come from.
    public enum Source: Codable, Sendable, Equatable {
        /// Published CSV files (Sudoku-Extreme, Maze-Hard).
        case csv(train: String, test: String)
        /// Kaggle combined ARC files `<directory>/<prefix>_<subset>_{challenges,solutions}.json`.
        case arcCombined(directory: String, prefix: String, subsets: [String])
        /// Folders of per-task ARC JSON files; each folder is a subset named after it.
        case arcFolders([String])
        /// Generated puzzles (Sudoku or Maze); the test set uses a seed derived from the recipe's.
        case generate(trainCount: Int, testCount: Int)
        /// An already built dataset folder in the reference format.
        case referenceFolder(String)
    }

    /// Puzzle family.
    public var kind: Kind
    /// Where the puzzles come from.
    public var source: Source
    /// Seed for generation, subsampling, augmentation and translation.
    public var seed: UInt64
    /// Sudoku builder options (subsample, minimum rating, copies); its seed is replaced by `seed`.
    public var sudoku: SudokuBuildOptions
    /// Maze builder options; its seed is replaced by `seed`.
    public var maze: MazeBuildOptions
    /// ARC builder options; its seed is replaced by `seed`.
    public var arc: ARCBuildOptions
    /// Sudoku generator options (source `generate`).
    public var sudokuGenerator: SudokuGeneratorOptions
    /// Maze generator options (source `generate`).
    public var mazeGenerator: MazeGeneratorOptions
    /// Different generator options for the training mazes (for example shorter paths too, so
    /// training mixes easy and hard mazes); nil: training and test mazes come from `mazeGenerator`.
    public var trainMazeGenerator: MazeGeneratorOptions?
    /// The share (0…1] of training mazes that come from `trainMazeGenerator`, the rest from
    /// `mazeGenerator` (for example some long paths among mazes like the test's); nil: all.
    public var trainMazeShare: Double?
    /// Skip invalid input items instead of stopping.
    public var skipInvalid: Bool

    /// Creates a recipe; unspecified options take the reference builders' defaults.
    public init(
        kind: Kind, source: Source, seed: UInt64 = 0, sudoku: SudokuBuildOptions = SudokuBuildOptions(),
        maze: MazeBuildOptions = MazeBuildOptions(), arc: ARCBuildOptions = ARCBuildOptions(),
        sudokuGenerator: SudokuGeneratorOptions = SudokuGeneratorOptions(),
        mazeGenerator: MazeGeneratorOptions = MazeGeneratorOptions(), skipInvalid: Bool = false
    ) {
        self.kind = kind
        self.source = source
        self.seed = seed
        self.sudoku = sudoku
        self.maze = maze
        self.arc = arc
        self.sudokuGenerator = sudokuGenerator
        self.mazeGenerator = mazeGenerator
        self.skipInvalid = skipInvalid
    }

    /// The files whose bytes the result depends on (for the cache key).
    public func sourceFiles() throws -> [URL] {
        switch source {
        case let .csv(train, test):
            return [URL(fileURLWithPath: train), URL(fileURLWithPath: test)]
        case let .arcCombined(directory, prefix, subsets):
            let dir = URL(fileURLWithPath: directory)
            return subsets.flatMap { name in
                ["challenges", "solutions"].map { dir.appendingPathComponent("\(prefix)_\(name)_\($0).json") }
                    .filter { FileManager.default.fileExists(atPath: $0.path) }
            }
        case let .arcFolders(folders):
            return try folders.flatMap { path in
                guard FileManager.default.fileExists(atPath: path) else {
                    throw DatasetUsageError("\(path) does not exist: pass a folder of per-task ARC JSON files")
                }
                return try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".json") }.sorted()
                    .map { URL(fileURLWithPath: path).appendingPathComponent($0) }
            }
        case .generate:
            return []
        case let .referenceFolder(path):
            let dir = URL(fileURLWithPath: path)
            return ["identifiers.json", "test_puzzles.json"].map { dir.appendingPathComponent($0) }
                .filter { FileManager.default.fileExists(atPath: $0.path) }
                + ["train", "test"].flatMap { split in
                    ((try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(split).path)) ?? []).sorted()
                        .map { dir.appendingPathComponent(split).appendingPathComponent($0) }
                }
        }
    }

    /// The cache key: a digest of the source bytes, this recipe and the seed.
    public func cacheKey() throws -> String {
        try DatasetCache.key(kind: kind.rawValue, sourceFiles: try sourceFiles(), options: self, seed: seed)
    }

    /// Checks kind/source combinations and option ranges, with messages that say what to change.
    public func validate() throws {
        switch (kind, source) {
        case (.sudoku, .csv), (.maze, .csv), (.sudoku, .generate), (.maze, .generate), (.arc, .arcCombined), (.arc, .arcFolders),
            (_, .referenceFolder):
            break
        default:
            throw DatasetUsageError(
                "a \(kind.rawValue) dataset cannot come from \(source); Sudoku and Maze use csv or generate, ARC uses combined JSON files or task folders"
            )
        }
        if case let .generate(train, test) = source, train <= 0 || test < 0 {
            throw DatasetUsageError("generate needs a positive training count and a non-negative test count")
        }
        if kind == .maze, case .generate = source {
            try mazeGenerator.validate()
            try trainMazeGenerator?.validate()
            if let share = trainMazeShare, !(share > 0 && share <= 1) {
                throw DatasetUsageError("the share of training mazes from the training generator must be in (0, 1], not \(share)")
            }
        }
    }

    /// Builds the dataset. `ingest` may carry a progress handler; `skipInvalid` comes from the recipe.
    /// `generationProgress` hears how many puzzles of each generated split are done.
    /// Also returns the ingest reports (empty for generated data).
    public func build(
        ingest: IngestOptions = IngestOptions(),
        generationProgress: (@Sendable (GenerationProgress) -> Void)? = nil
    ) throws -> (dataset: PuzzleDataset, reports: [IngestReport]) {
        try validate()
        // The generators count from 0 per call. The test split may take several draws (repeats of
        // training puzzles are dropped and drawn again), each continuing from the puzzles kept and
        // never below what an earlier draw showed; it is complete only when `distinctTest`
        // returns, which `testDone` reports.
        let testMark = ProgressHighWater()
        func progress(_ split: String, total: Int, drawing count: Int? = nil) -> (@Sendable (Int) -> Void)? {
            guard let generationProgress else { return nil }
            guard let count else { return { generationProgress(GenerationProgress(split: split, done: $0, total: total)) } }
            let kept = total - count
            return { generationProgress(GenerationProgress(split: split, done: testMark.raise(min(total - 1, kept + $0)), total: total)) }
        }
        func testDone(_ total: Int) { if total > 0 { generationProgress?(GenerationProgress(split: "test", done: total, total: total)) } }
        var ingest = ingest
        ingest.skipInvalid = skipInvalid
        var sudokuOptions = sudoku
        sudokuOptions.seed = seed
        var mazeOptions = maze
        mazeOptions.seed = seed
        var arcOptions = arc
        arcOptions.seed = seed
        let testSeed = seed &+ 0x7E57
        switch (kind, source) {
        case let (_, .referenceFolder(path)):
            return (try ReferenceFormat.read(URL(fileURLWithPath: path)), [])
        case let (.sudoku, .csv(train, test)):
            let (ds, reports) = try SudokuDatasetBuilder.build(
                trainCSV: URL(fileURLWithPath: train), testCSV: URL(fileURLWithPath: test),
                options: sudokuOptions, ingest: ingest)
            return (ds, reports)
        case let (.maze, .csv(train, test)):
            let (trainRows, r1) = try MazeCSV.load(URL(fileURLWithPath: train), options: ingest)
            let (testRows, r2) = try MazeCSV.load(URL(fileURLWithPath: test), options: ingest)
            return (MazeDatasetBuilder.build(train: trainRows, test: testRows, options: mazeOptions), [r1, r2])
        case let (.sudoku, .generate(trainCount, testCount)):
            let train = try SudokuGenerator.generate(
                count: trainCount, options: sudokuGenerator, seed: seed, progress: progress("train", total: trainCount))
            // 4×4 and 6×6 have few enough puzzles that a test puzzle could be a training puzzle
            // in disguise (online augmentation would then train on it); 9×9 collisions are negligible.
            let shape = sudokuGenerator.shape
            let key: ([UInt8]) -> [UInt8] = shape.side <= 6 ? { SudokuTransform.symmetryKey($0, shape: shape) } : { $0 }
            let test = try Self.distinctTest(count: testCount, excluding: train.map(\.question), key: key, seed: testSeed) {
                try SudokuGenerator.generate(count: $0, options: sudokuGenerator, seed: $1, progress: progress("test", total: testCount, drawing: $0))
            }
            testDone(testCount)
            return (SudokuDatasetBuilder.build(train: train, test: test, options: sudokuOptions), [])
        case let (.maze, .generate(trainCount, testCount)):
            let train = try trainingMazes(count: trainCount, progress: progress("train", total: trainCount))
            let side = mazeGenerator.side
            let key: ([UInt8]) -> [UInt8] = { MazeDatasetBuilder.symmetryKey($0, side: side) }
            let test = try Self.distinctTest(count: testCount, excluding: train.map(\.question), key: key, seed: testSeed) {
                try MazeGenerator.generate(count: $0, options: mazeGenerator, seed: $1, progress: progress("test", total: testCount, drawing: $0))
            }
            testDone(testCount)
            return (MazeDatasetBuilder.build(train: train, test: test, options: mazeOptions), [])
        case let (.arc, .arcCombined(directory, prefix, subsets)):
            let (ds, reports) = try ARCDatasetBuilder.build(
                directory: URL(fileURLWithPath: directory), prefix: prefix, subsets: subsets,
                options: arcOptions, ingest: ingest)
            return (ds, reports)
        case let (.arc, .arcFolders(folders)):
            var loaded: [(name: String, tasks: [ARCTask])] = []
            var reports: [IngestReport] = []
            for path in folders {
                let url = URL(fileURLWithPath: path)
                let (tasks, report) = try ARCLoader.loadFolder(url, options: ingest)
                loaded.append((url.lastPathComponent, tasks))
                reports.append(report)
            }
            return (ARCDatasetBuilder.build(subsets: loaded, options: arcOptions), reports)
        default:
            throw DatasetUsageError("unsupported recipe: \(kind.rawValue) from \(source)")
        }
    }

    /// The generated training mazes: all from `trainMazeGenerator ?? mazeGenerator`, or, with
    /// `trainMazeShare`, that share from `trainMazeGenerator` and the rest from `mazeGenerator`,
    /// interleaved evenly so that every stretch of the training order holds the same mix.
    func trainingMazes(count: Int, progress: (@Sendable (Int) -> Void)?) throws -> [MazeRecord] {
        guard let special = trainMazeGenerator, let share = trainMazeShare, share < 1 else {
            return try MazeGenerator.generate(count: count, options: trainMazeGenerator ?? mazeGenerator, seed: seed, progress: progress)
        }
        let specialCount = Int((Double(count) * share).rounded())
        let specials = try MazeGenerator.generate(count: specialCount, options: special, seed: seed, progress: progress)
        var plainProgress: (@Sendable (Int) -> Void)? = nil
        if let progress { plainProgress = { progress(specialCount + $0) } }
        let plain = try MazeGenerator.generate(count: count - specialCount, options: mazeGenerator, seed: seed &+ 0x5A17, progress: plainProgress)
        var mixed: [MazeRecord] = []
        mixed.reserveCapacity(count)
        var taken = (special: 0, plain: 0)
        for k in 0..<count {
            // The first k + 1 mazes hold ⌊(k + 1)·share⌋ special ones.
            if taken.special < (k + 1) * specialCount / count {
                mixed.append(specials[taken.special])
                taken.special += 1
            } else {
                mixed.append(plain[taken.plain])
                taken.plain += 1
            }
        }
        return mixed
    }

    /// Generated test puzzles never repeat a training puzzle (nor each other), also not up to the
    /// symmetries `key` identifies: repeats are replaced by further draws from derived seeds, so
    /// held-out accuracy measures generalisation.
    static func distinctTest<Record: PuzzleRecord>(
        count: Int, excluding train: [[UInt8]], key: ([UInt8]) -> [UInt8] = { $0 }, seed: UInt64, draw: (Int, UInt64) throws -> [Record]
    ) throws -> [Record] {
        var seen = Set(train.map(key))
        var test: [Record] = []
        var round: UInt64 = 0
        while test.count < count {
            guard round < 16 else {
                throw DatasetUsageError(
                    "only \(test.count) of \(count) generated test puzzles differ from the training puzzles; there are too few distinct puzzles for these settings (lower the counts or change the generator options)"
                )
            }
            for record in try draw(count - test.count, seed &+ round &* 0x9E37_79B9) where seen.insert(key(record.question)).inserted {
                test.append(record)
            }
            round += 1
        }
        return test
    }

    /// Builds through `cache`: reads the entry for `cacheKey()` if present, else builds and stores
    /// it (with its ingest reports, so a later cache hit still reports skipped items).
    public func build(
        cache: DatasetCache, ingest: IngestOptions = IngestOptions(),
        generationProgress: (@Sendable (GenerationProgress) -> Void)? = nil
    ) throws -> CachedBuild {
        let key = try cacheKey()
        let (entry, outcome) = try cache.entry(key: key) {
            let (dataset, reports) = try build(ingest: ingest, generationProgress: generationProgress)
            return DatasetCache.Entry(dataset: dataset, reports: reports)
        }
        return CachedBuild(dataset: entry.dataset, reports: entry.reports, outcome: outcome, folder: cache.folder(for: key))
    }
}

/// A dataset obtained through a `DatasetCache`: the data, the ingest reports of the build that made
/// it, whether it was read or built, and the cache entry's folder.
public struct CachedBuild: Sendable {
    /// The train and test splits.
    public var dataset: PuzzleDataset
    /// One report per ingested file or folder (empty for generated data).
    public var reports: [IngestReport]
    /// Read from the cache, built, or rebuilt over a damaged entry.
    public var outcome: DatasetCache.Outcome
    /// The cache entry's folder.
    public var folder: URL

    /// Whether the cache was hit.
    public var cached: Bool { outcome == .hit }
}

/// How far generating one split's puzzles has come.
public struct GenerationProgress: Sendable, Equatable {
    /// "train" or "test".
    public var split: String
    /// Puzzles generated so far (test puzzles that repeat a training puzzle are not counted).
    public var done: Int
    /// Puzzles the split needs.
    public var total: Int

    /// A progress report for `split`.
    public init(split: String, done: Int, total: Int) {
        self.split = split
        self.done = done
        self.total = total
    }
}

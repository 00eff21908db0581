import Foundation
import TRMCore

/// Options of the reference Sudoku builder (`build_sudoku_dataset.py`), plus a seed.
public struct SudokuBuildOptions: Codable, Sendable, Equatable {
    /// Keep this many training rows, drawn uniformly without replacement (nil = all).
    public var subsampleSize: Int?
    /// Keep only rows with rating ≥ this, in both splits.
    public var minDifficulty: Int?
    /// Shuffled copies per training puzzle (test is never augmented).
    public var numAug: Int
    /// Seed for subsampling and augmentation.
    public var seed: UInt64
    /// Copies relabel the digits 1…n (the reference does).
    public var permuteDigits: Bool
    /// Copies transpose (square boxes) and reorder bands, rows, stacks and columns (the reference does).
    public var shuffleGrid: Bool

    /// Creates options (defaults: everything, no augmentation, seed 0, copies as the reference draws them).
    public init(
        subsampleSize: Int? = nil, minDifficulty: Int? = nil, numAug: Int = 0, seed: UInt64 = 0, permuteDigits: Bool = true,
        shuffleGrid: Bool = true
    ) {
        self.subsampleSize = subsampleSize
        self.minDifficulty = minDifficulty
        self.numAug = numAug
        self.seed = seed
        self.permuteDigits = permuteDigits
        self.shuffleGrid = shuffleGrid
    }

    private enum CodingKeys: String, CodingKey { case subsampleSize, minDifficulty, numAug, seed, permuteDigits, shuffleGrid }

    /// Reads options; a missing switch means on, as before the switches existed.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            subsampleSize: try c.decodeIfPresent(Int.self, forKey: .subsampleSize),
            minDifficulty: try c.decodeIfPresent(Int.self, forKey: .minDifficulty), numAug: try c.decode(Int.self, forKey: .numAug),
            seed: try c.decode(UInt64.self, forKey: .seed), permuteDigits: try c.decodeSwitch(forKey: .permuteDigits),
            shuffleGrid: try c.decodeSwitch(forKey: .shuffleGrid))
    }

    /// Writes options; switches that are on are left out, so cache keys of existing recipes stay the same.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(subsampleSize, forKey: .subsampleSize)
        try c.encodeIfPresent(minDifficulty, forKey: .minDifficulty)
        try c.encode(numAug, forKey: .numAug)
        try c.encode(seed, forKey: .seed)
        try c.encodeSwitch(permuteDigits, forKey: .permuteDigits)
        try c.encodeSwitch(shuffleGrid, forKey: .shuffleGrid)
    }
}

/// Turns Sudoku records into the reference's arrays: value v → token v+1 (blank 1, digit d → d+1),
/// vocab n+2, one example per puzzle, the original and its `numAug` shuffled copies in one group,
/// identifiers all 0, difficulty = rating.
public enum SudokuDatasetBuilder {
    /// Token of cell value v.
    @inline(__always) public static func token(_ value: UInt8) -> UInt8 { value + 1 }

    /// Appends one source puzzle as a group: the original, then `numAug` copies shuffled as `options` asks.
    static func appendGroup(
        _ record: SudokuRecord, shape: SudokuShape, numAug: Int, options: SudokuBuildOptions,
        to builder: inout SplitBuilder, using rng: inout RandomGenerator
    ) {
        for copy in 0...numAug {
            var q = record.question, a = record.answer
            if copy > 0 {
                let t = SudokuTransform.random(shape, permuteDigits: options.permuteDigits, shuffleGrid: options.shuffleGrid, using: &rng)
                q = t.apply(q)
                a = t.apply(a)
            }
            builder.addExample(input: q.map(token), label: a.map(token), difficulty: record.rating)
            builder.endPuzzle(identifier: 0)
        }
        builder.endGroup()
    }

    /// Encodes one split. Copies use `SudokuTransform.random` drawn from `rng`, keeping the parts
    /// `options` switches on (its `numAug` is not read: `numAug` here is per split).
    public static func encode(
        _ records: [SudokuRecord], numAug: Int, options: SudokuBuildOptions = SudokuBuildOptions(), using rng: inout RandomGenerator
    ) -> PuzzleSplit {
        let shape = SudokuShape.forSide(records.first?.side ?? 9) ?? .nine
        var builder = SplitBuilder(seqLen: shape.cells)
        builder.inputs.reserveCapacity(records.count * (numAug + 1) * shape.cells)
        builder.labels.reserveCapacity(records.count * (numAug + 1) * shape.cells)
        for record in records { appendGroup(record, shape: shape, numAug: numAug, options: options, to: &builder, using: &rng) }
        return builder.finish(vocabSize: shape.side + 2, numPuzzleIdentifiers: 1, referenceCounts: true)
    }

    /// Builds train and test from records in memory (filter, subsample, augment, encode).
    public static func build(train: [SudokuRecord], test: [SudokuRecord], options: SudokuBuildOptions) -> PuzzleDataset {
        var rng = RandomGenerator.derived(seed: options.seed, stream: 0x5D0C)
        func filter(_ r: [SudokuRecord]) -> [SudokuRecord] {
            guard let m = options.minDifficulty else { return r }
            return r.filter { $0.rating >= m }
        }
        var trainRows = filter(train)
        if let k = options.subsampleSize, k < trainRows.count {
            trainRows.shuffle(using: &rng)
            trainRows.removeLast(trainRows.count - k)
        }
        let trainSplit = encode(trainRows, numAug: options.numAug, options: options, using: &rng)
        let testSplit = encode(filter(test), numAug: 0, using: &rng)
        return PuzzleDataset(identifiers: ["<blank>"], train: trainSplit, test: testSplit)
    }

    /// Builds from the published CSV files, streaming them: rows are encoded as they are read
    /// (only tokens are kept), and with `subsampleSize` only that many training rows are ever held
    /// (reservoir sampling), so the 3.8M-row train.csv stays bounded.
    public static func build(
        trainCSV: URL, testCSV: URL, options: SudokuBuildOptions,
        ingest: IngestOptions = IngestOptions()
    ) throws -> (dataset: PuzzleDataset, reports: [IngestReport]) {
        var rng = RandomGenerator.derived(seed: options.seed, stream: 0x5D0D)
        var augRNG = RandomGenerator.derived(seed: options.seed, stream: 0x5D0C)
        func streamSplit(_ url: URL, numAug: Int) throws -> (PuzzleSplit, IngestReport) {
            var builder: SplitBuilder? = nil
            var shape = SudokuShape.nine
            let report = try SudokuCSV.read(url, options: ingest) { record in
                if let m = options.minDifficulty, record.rating < m { return }
                if builder == nil {
                    shape = SudokuShape.forSide(record.side) ?? .nine
                    builder = SplitBuilder(seqLen: shape.cells)
                }
                appendGroup(record, shape: shape, numAug: numAug, options: options, to: &builder!, using: &augRNG)
            }
            let b = builder ?? SplitBuilder(seqLen: shape.cells)
            return (b.finish(vocabSize: shape.side + 2, numPuzzleIdentifiers: 1, referenceCounts: true), report)
        }
        let train: PuzzleSplit
        let trainReport: IngestReport
        if let k = options.subsampleSize {
            var reservoir: [SudokuRecord] = []
            var seen = 0
            trainReport = try SudokuCSV.read(trainCSV, options: ingest) { record in
                if let m = options.minDifficulty, record.rating < m { return }
                seen += 1
                if reservoir.count < k {
                    reservoir.append(record)
                } else {
                    let j = Int(rng.next() % UInt64(seen))
                    if j < k { reservoir[j] = record }
                }
            }
            train = encode(reservoir, numAug: options.numAug, options: options, using: &augRNG)
        } else {
            (train, trainReport) = try streamSplit(trainCSV, numAug: options.numAug)
        }
        let (test, testReport) = try streamSplit(testCSV, numAug: 0)
        return (PuzzleDataset(identifiers: ["<blank>"], train: train, test: test), [trainReport, testReport])
    }
}

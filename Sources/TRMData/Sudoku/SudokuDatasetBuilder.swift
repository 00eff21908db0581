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

    /// Creates options (defaults: everything, no augmentation, seed 0).
    public init(subsampleSize: Int? = nil, minDifficulty: Int? = nil, numAug: Int = 0, seed: UInt64 = 0) {
        self.subsampleSize = subsampleSize
        self.minDifficulty = minDifficulty
        self.numAug = numAug
        self.seed = seed
    }
}

/// Turns Sudoku records into the reference's arrays: value v → token v+1 (blank 1, digit d → d+1),
/// vocab n+2, one example per puzzle, the original and its `numAug` shuffled copies in one group,
/// identifiers all 0, difficulty = rating.
public enum SudokuDatasetBuilder {
    /// Token of cell value v.
    @inline(__always) public static func token(_ value: UInt8) -> UInt8 { value + 1 }

    /// Appends one source puzzle as a group: the original, then `numAug` shuffled copies.
    static func appendGroup(
        _ record: SudokuRecord, shape: SudokuShape, numAug: Int,
        to builder: inout SplitBuilder, using rng: inout RandomGenerator
    ) {
        for copy in 0...numAug {
            var q = record.question, a = record.answer
            if copy > 0 {
                let t = SudokuTransform.random(shape, using: &rng)
                q = t.apply(q)
                a = t.apply(a)
            }
            builder.addExample(input: q.map(token), label: a.map(token), difficulty: record.rating)
            builder.endPuzzle(identifier: 0)
        }
        builder.endGroup()
    }

    /// Encodes one split. Copies use `SudokuTransform.random` drawn from `rng`.
    public static func encode(_ records: [SudokuRecord], numAug: Int, using rng: inout RandomGenerator) -> PuzzleSplit {
        let shape = SudokuShape.forSide(records.first?.side ?? 9) ?? .nine
        var builder = SplitBuilder(seqLen: shape.cells)
        builder.inputs.reserveCapacity(records.count * (numAug + 1) * shape.cells)
        builder.labels.reserveCapacity(records.count * (numAug + 1) * shape.cells)
        for record in records { appendGroup(record, shape: shape, numAug: numAug, to: &builder, using: &rng) }
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
        let trainSplit = encode(trainRows, numAug: options.numAug, using: &rng)
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
                appendGroup(record, shape: shape, numAug: numAug, to: &builder!, using: &augRNG)
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
            train = encode(reservoir, numAug: options.numAug, using: &augRNG)
        } else {
            (train, trainReport) = try streamSplit(trainCSV, numAug: options.numAug)
        }
        let (test, testReport) = try streamSplit(testCSV, numAug: 0)
        return (PuzzleDataset(identifiers: ["<blank>"], train: train, test: test), [trainReport, testReport])
    }
}

import Foundation

/// The fields of the reference's `dataset.json`, in its key order.
public struct PuzzleDatasetMetadata: Codable, Equatable, Sendable {
    /// Input token used for padding (0).
    public var padId: Int
    /// Label token rewritten to −100 by the loader (0 in every builder; may be absent).
    public var ignoreLabelId: Int?
    /// Identifier of padded batch rows (0).
    public var blankIdentifierId: Int
    /// Number of token ids.
    public var vocabSize: Int
    /// Tokens per example.
    public var seqLen: Int
    /// Size of the puzzle-embedding table, blank id 0 included.
    public var numPuzzleIdentifiers: Int
    /// Number of groups (original puzzles).
    public var totalGroups: Int
    /// Mean examples per puzzle (sizes an "epoch").
    public var meanPuzzleExamples: Double
    /// Puzzles as the reference writes them (Sudoku/Maze: number of originals); absent in old files.
    public var totalPuzzles: Int?
    /// Set names, always ["all"].
    public var sets: [String]

    enum CodingKeys: String, CodingKey {
        case padId = "pad_id", ignoreLabelId = "ignore_label_id", blankIdentifierId = "blank_identifier_id"
        case vocabSize = "vocab_size", seqLen = "seq_len", numPuzzleIdentifiers = "num_puzzle_identifiers"
        case totalGroups = "total_groups", meanPuzzleExamples = "mean_puzzle_examples"
        case totalPuzzles = "total_puzzles", sets
    }

    /// Creates metadata with the reference's constant fields filled in.
    public init(
        vocabSize: Int, seqLen: Int, numPuzzleIdentifiers: Int, totalGroups: Int,
        meanPuzzleExamples: Double, totalPuzzles: Int?, padId: Int = 0, ignoreLabelId: Int? = 0,
        blankIdentifierId: Int = 0, sets: [String] = ["all"]
    ) {
        self.padId = padId
        self.ignoreLabelId = ignoreLabelId
        self.blankIdentifierId = blankIdentifierId
        self.vocabSize = vocabSize
        self.seqLen = seqLen
        self.numPuzzleIdentifiers = numPuzzleIdentifiers
        self.totalGroups = totalGroups
        self.meanPuzzleExamples = meanPuzzleExamples
        self.totalPuzzles = totalPuzzles
        self.sets = sets
    }

    /// `dataset.json` text with keys in the reference's order.
    public func jsonText() -> String {
        var parts: [String] = []
        parts.append("\"pad_id\": \(padId)")
        parts.append("\"ignore_label_id\": \(ignoreLabelId.map(String.init) ?? "null")")
        parts.append("\"blank_identifier_id\": \(blankIdentifierId)")
        parts.append("\"vocab_size\": \(vocabSize)")
        parts.append("\"seq_len\": \(seqLen)")
        parts.append("\"num_puzzle_identifiers\": \(numPuzzleIdentifiers)")
        parts.append("\"total_groups\": \(totalGroups)")
        parts.append("\"mean_puzzle_examples\": \(meanPuzzleExamples)")
        if let totalPuzzles { parts.append("\"total_puzzles\": \(totalPuzzles)") }
        parts.append("\"sets\": [" + sets.map { "\"\($0)\"" }.joined(separator: ", ") + "]")
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

/// One split (train or test) of a puzzle dataset, held in memory exactly as the reference's arrays.
///
/// Examples are rows of `inputs`/`labels` (`seqLen` tokens each); puzzle p owns examples
/// `puzzleIndices[p]..<puzzleIndices[p+1]`; group g owns puzzles `groupIndices[g]..<groupIndices[g+1]`.
public struct PuzzleSplit: Equatable, Sendable {
    /// The split's `dataset.json`.
    public var metadata: PuzzleDatasetMetadata
    /// Input tokens, `exampleCount × seqLen`, row-major.
    public var inputs: [UInt8]
    /// Label tokens, same shape.
    public var labels: [UInt8]
    /// One identifier id per puzzle.
    public var puzzleIdentifiers: [Int32]
    /// Prefix offsets of examples per puzzle (`puzzleCount + 1` entries).
    public var puzzleIndices: [Int32]
    /// Prefix offsets of puzzles per group (`groupCount + 1` entries).
    public var groupIndices: [Int32]
    /// Per-example difficulty when known (Sudoku rating, maze path cells incl. S and G); not part of
    /// the reference format, stored beside it as `all__difficulty.npy`.
    public var difficulty: [Int32]?

    /// Creates a split from its arrays.
    public init(
        metadata: PuzzleDatasetMetadata, inputs: [UInt8], labels: [UInt8], puzzleIdentifiers: [Int32],
        puzzleIndices: [Int32], groupIndices: [Int32], difficulty: [Int32]? = nil
    ) {
        self.metadata = metadata
        self.inputs = inputs
        self.labels = labels
        self.puzzleIdentifiers = puzzleIdentifiers
        self.puzzleIndices = puzzleIndices
        self.groupIndices = groupIndices
        self.difficulty = difficulty
    }

    /// Number of examples.
    public var exampleCount: Int { metadata.seqLen == 0 ? 0 : inputs.count / metadata.seqLen }
    /// Number of stored puzzles.
    public var puzzleCount: Int { puzzleIdentifiers.count }
    /// Number of groups.
    public var groupCount: Int { max(0, groupIndices.count - 1) }

    /// Input tokens of one example.
    public func input(_ example: Int) -> ArraySlice<UInt8> {
        inputs[(example * metadata.seqLen)..<((example + 1) * metadata.seqLen)]
    }

    /// Label tokens of one example.
    public func label(_ example: Int) -> ArraySlice<UInt8> {
        labels[(example * metadata.seqLen)..<((example + 1) * metadata.seqLen)]
    }

    /// The puzzle owning `example` (binary search over `puzzleIndices`).
    public func puzzle(ofExample example: Int) -> Int {
        var lo = 0, hi = puzzleCount  // answer in [lo, hi)
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if Int(puzzleIndices[mid]) <= example { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// Checks the structural invariants (shapes, monotone offsets, token and id ranges).
    public func validate() throws {
        let s = metadata.seqLen
        func fail(_ why: String) -> DatasetUsageError { DatasetUsageError("inconsistent split: \(why)") }
        guard s > 0, inputs.count % s == 0, labels.count == inputs.count else {
            throw fail("inputs/labels sizes \(inputs.count)/\(labels.count) do not fit seq_len \(s)")
        }
        guard puzzleIndices.count == puzzleCount + 1, puzzleIndices.first == 0, Int(puzzleIndices.last!) == exampleCount else {
            throw fail("puzzle_indices must run from 0 to the example count with one entry per puzzle plus one")
        }
        guard groupIndices.first == 0, Int(groupIndices.last ?? -1) == puzzleCount else {
            throw fail("group_indices must run from 0 to the puzzle count")
        }
        for i in 1..<puzzleIndices.count where puzzleIndices[i] < puzzleIndices[i - 1] { throw fail("puzzle_indices decrease at \(i)") }
        for i in 1..<groupIndices.count where groupIndices[i] < groupIndices[i - 1] { throw fail("group_indices decrease at \(i)") }
        if let bad = inputs.first(where: { Int($0) >= metadata.vocabSize }) ?? labels.first(where: { Int($0) >= metadata.vocabSize }) {
            throw fail("token \(bad) is not below vocab_size \(metadata.vocabSize)")
        }
        if let bad = puzzleIdentifiers.first(where: { $0 < 0 || Int($0) >= metadata.numPuzzleIdentifiers }) {
            throw fail("puzzle identifier \(bad) is outside 0..<\(metadata.numPuzzleIdentifiers)")
        }
        if let d = difficulty, d.count != exampleCount { throw fail("difficulty has \(d.count) entries for \(exampleCount) examples") }
    }
}

/// A built puzzle dataset: train and test splits, the identifier names, and for ARC the raw test tasks.
public struct PuzzleDataset: Equatable, Sendable {
    /// Identifier id → puzzle name; index 0 is "<blank>".
    public var identifiers: [String]
    /// Training split.
    public var train: PuzzleSplit
    /// Test split.
    public var test: PuzzleSplit
    /// ARC only: the raw `test_puzzles.json` bytes (evaluation tasks with solutions).
    public var testPuzzlesJSON: Data?

    /// Creates a dataset.
    public init(identifiers: [String], train: PuzzleSplit, test: PuzzleSplit, testPuzzlesJSON: Data? = nil) {
        self.identifiers = identifiers
        self.train = train
        self.test = test
        self.testPuzzlesJSON = testPuzzlesJSON
    }

    /// The split called `name` ("train" or "test").
    public func split(_ name: String) -> PuzzleSplit? {
        switch name {
        case "train": return train
        case "test": return test
        default: return nil
        }
    }
}

/// Accumulates examples, puzzles and groups into a `PuzzleSplit`.
struct SplitBuilder {
    let seqLen: Int
    var inputs: [UInt8] = []
    var labels: [UInt8] = []
    var identifiers: [Int32] = []
    var puzzleIndices: [Int32] = [0]
    var groupIndices: [Int32] = [0]
    var difficulty: [Int32] = []
    var hasDifficulty = true

    init(seqLen: Int) { self.seqLen = seqLen }

    mutating func addExample(input: [UInt8], label: [UInt8], difficulty: Int?) {
        precondition(input.count == seqLen && label.count == seqLen)
        inputs += input
        labels += label
        if let difficulty { self.difficulty.append(Int32(difficulty)) } else { hasDifficulty = false }
    }

    mutating func endPuzzle(identifier: Int32) {
        identifiers.append(identifier)
        puzzleIndices.append(Int32(inputs.count / seqLen))
    }

    mutating func endGroup() { groupIndices.append(Int32(identifiers.count)) }

    func finish(vocabSize: Int, numPuzzleIdentifiers: Int, referenceCounts: Bool) -> PuzzleSplit {
        let examples = inputs.count / seqLen
        let puzzles = identifiers.count
        let groups = groupIndices.count - 1
        // Sudoku/Maze builders write total_puzzles = total_groups and mean 1 (see DATASETS.md §1.2).
        let meta = PuzzleDatasetMetadata(
            vocabSize: vocabSize, seqLen: seqLen, numPuzzleIdentifiers: numPuzzleIdentifiers, totalGroups: groups,
            meanPuzzleExamples: referenceCounts ? 1 : (puzzles == 0 ? 0 : Double(examples) / Double(puzzles)),
            totalPuzzles: referenceCounts ? groups : puzzles)
        return PuzzleSplit(
            metadata: meta, inputs: inputs, labels: labels, puzzleIdentifiers: identifiers,
            puzzleIndices: puzzleIndices, groupIndices: groupIndices,
            difficulty: hasDifficulty && !difficulty.isEmpty ? difficulty : nil)
    }
}

import TRMCore

/// One batch as the trainer consumes it.
public struct PuzzleBatch: Sendable, Equatable {
    /// Input tokens, `B × seqLen`, row-major.
    public var inputs: [Int32]
    /// Label tokens, same shape; the split's `ignore_label_id` (and padding) is −100.
    public var labels: [Int32]
    /// Puzzle identifier of each row (blank id for padding rows).
    public var puzzleIdentifiers: [Int32]
    /// Rows `0..<validRows` are real; the rest are padding (evaluation's last batch only).
    public var validRows: Int

    /// Creates a batch.
    public init(inputs: [Int32], labels: [Int32], puzzleIdentifiers: [Int32], validRows: Int) {
        self.inputs = inputs
        self.labels = labels
        self.puzzleIdentifiers = puzzleIdentifiers
        self.validRows = validRows
    }
}

/// Where a `BatchSampler` is: enough to resume and draw exactly the batches an uninterrupted run
/// would have drawn.
public struct BatchSamplerState: Codable, Equatable, Sendable {
    /// The sampler's seed; epoch e's group order comes from `RandomGenerator.derived(seed, e)`.
    public var seed: UInt64
    /// Current epoch (0-based).
    public var epoch: Int
    /// Next position in the epoch's group order.
    public var groupCursor: Int
    /// Generator for puzzle choice and example order, as it stands now.
    public var rng: RandomGenerator
    /// Batches returned so far.
    public var batchesDrawn: Int

    /// The state of a sampler that has drawn nothing yet.
    public init(seed: UInt64) {
        self.init(seed: seed, epoch: 0, groupCursor: 0, rng: RandomGenerator.derived(seed: seed, stream: 0), batchesDrawn: 0)
    }

    init(seed: UInt64, epoch: Int, groupCursor: Int, rng: RandomGenerator, batchesDrawn: Int) {
        self.seed = seed
        self.epoch = epoch
        self.groupCursor = groupCursor
        self.rng = rng
        self.batchesDrawn = batchesDrawn
    }
}

/// Training batches with the reference's semantics: each epoch a random permutation of the
/// groups; for each group one puzzle drawn uniformly and its examples added in random order,
/// truncated when the batch is full (the rest dropped); fixed global batch size; an epoch's final
/// incomplete batch is dropped. With a curriculum, examples outside its window at the current batch
/// are passed over (their group still counts as served in the epoch).
public struct BatchSampler: Sendable {
    /// The split sampled.
    public let split: PuzzleSplit
    /// Rows per batch.
    public let batchSize: Int
    /// A fresh random symmetry applied to every row drawn (nil: rows as stored).
    public let augmentation: OnlineAugmentation?
    /// The difficulty window examples must fall in (nil: every example).
    public let curriculum: DifficultyCurriculum?
    /// Current position (save it with a checkpoint; pass it back to `init` to resume).
    public private(set) var state: BatchSamplerState
    private var groupOrder: [Int32]

    /// Creates a sampler at the start of epoch 0, or resumes from a saved `state`; with
    /// `augmentation`, every row gets its own random symmetry, drawn from the state's generator;
    /// with `curriculum`, only examples whose difficulty is in its window at the batch being drawn.
    public init(
        split: PuzzleSplit, batchSize: Int, seed: UInt64, state: BatchSamplerState? = nil, augmentation: OnlineAugmentation? = nil,
        curriculum: DifficultyCurriculum? = nil
    ) {
        precondition(batchSize > 0, "batch size must be positive")
        precondition(curriculum == nil || split.difficulty != nil, "a curriculum needs the split's per-example difficulty")
        self.split = split
        self.batchSize = batchSize
        self.augmentation = augmentation
        self.curriculum = curriculum
        let s =
            state
            ?? BatchSamplerState(
                seed: seed, epoch: 0, groupCursor: 0,
                rng: RandomGenerator.derived(seed: seed, stream: 0), batchesDrawn: 0)
        self.state = s
        self.groupOrder = []
        if state == nil {
            var rng = s.rng
            groupOrder = Self.permutation(split.groupCount, &rng)
            self.state.rng = rng
        } else {
            // The epoch's order is a pure function of (seed, epoch).
            var rng = RandomGenerator.derived(seed: s.seed, stream: UInt64(s.epoch))
            groupOrder = Self.permutation(split.groupCount, &rng)
        }
    }

    private static func permutation(_ n: Int, _ rng: inout RandomGenerator) -> [Int32] {
        var p = (0..<Int32(n)).map { $0 }
        p.shuffle(using: &rng)
        return p
    }

    private mutating func startNextEpoch() {
        state.epoch += 1
        state.groupCursor = 0
        var rng = RandomGenerator.derived(seed: state.seed, stream: UInt64(state.epoch))
        groupOrder = Self.permutation(split.groupCount, &rng)
        state.rng = rng
    }

    /// Batches per epoch as the reference sizes training:
    /// `total_groups × mean_puzzle_examples / batchSize` (rounded down).
    public var estimatedBatchesPerEpoch: Int {
        Int(Double(split.metadata.totalGroups) * split.metadata.meanPuzzleExamples / Double(batchSize))
    }

    /// The next batch (epochs roll over automatically), or nil if one epoch cannot fill a batch.
    public mutating func next() -> PuzzleBatch? {
        let s = split.metadata.seqLen
        var rows: [Int] = []
        rows.reserveCapacity(batchSize)
        var emptyEpochs = 0
        let window = curriculum?.window(atStep: state.batchesDrawn)
        while rows.count < batchSize {
            if state.groupCursor >= groupOrder.count {
                rows.removeAll(keepingCapacity: true)  // incomplete final batch dropped
                emptyEpochs += 1
                if emptyEpochs > 1 || split.groupCount == 0 { return nil }
                startNextEpoch()
                continue
            }
            let g = Int(groupOrder[state.groupCursor])
            state.groupCursor += 1
            let first = Int(split.groupIndices[g]), end = Int(split.groupIndices[g + 1])
            guard end > first else { continue }
            let p = first + Int(state.rng.next() % UInt64(end - first))
            var examples = Array(Int(split.puzzleIndices[p])..<Int(split.puzzleIndices[p + 1]))
            if let window, let difficulty = split.difficulty { examples.removeAll { !window.contains(Double(difficulty[$0])) } }
            examples.shuffle(using: &state.rng)
            rows += examples.prefix(batchSize - rows.count)
            if rows.count == batchSize { emptyEpochs = 0 }
        }
        state.batchesDrawn += 1
        var inputs = [Int32](repeating: 0, count: batchSize * s)
        var labels = inputs
        var ids = [Int32](repeating: 0, count: batchSize)
        let ignore = split.metadata.ignoreLabelId
        for (b, e) in rows.enumerated() {
            var input = Array(split.inputs[e * s..<(e + 1) * s])
            var label = Array(split.labels[e * s..<(e + 1) * s])
            augmentation?.apply(input: &input, label: &label, using: &state.rng)
            for k in 0..<s {
                inputs[b * s + k] = Int32(input[k])
                labels[b * s + k] = Int(label[k]) == ignore ? -100 : Int32(label[k])
            }
            ids[b] = split.puzzleIdentifiers[split.puzzle(ofExample: e)]
        }
        return PuzzleBatch(inputs: inputs, labels: labels, puzzleIdentifiers: ids, validRows: batchSize)
    }
}

/// Evaluation batches: examples in stored order, `batchSize` rows each; the last batch is padded
/// with `pad_id` inputs, −100 labels and the blank identifier, and `validRows` says how many rows
/// are real. Batch k starts at example `k * batchSize`.
public struct EvaluationBatches: Sequence, IteratorProtocol, Sendable {
    /// The split read.
    public let split: PuzzleSplit
    /// Rows per batch.
    public let batchSize: Int
    /// Index of the next example to emit.
    public private(set) var position = 0

    /// Creates an iterator over `split`.
    public init(split: PuzzleSplit, batchSize: Int) {
        precondition(batchSize > 0, "batch size must be positive")
        self.split = split
        self.batchSize = batchSize
    }

    /// Number of batches in all.
    public var count: Int { (split.exampleCount + batchSize - 1) / batchSize }

    /// The next batch, or nil at the end.
    public mutating func next() -> PuzzleBatch? {
        let n = split.exampleCount
        guard position < n else { return nil }
        let s = split.metadata.seqLen
        let valid = Swift.min(batchSize, n - position)
        let pad = Int32(split.metadata.padId)
        var inputs = [Int32](repeating: pad, count: batchSize * s)
        var labels = [Int32](repeating: -100, count: batchSize * s)
        var ids = [Int32](repeating: Int32(split.metadata.blankIdentifierId), count: batchSize)
        let ignore = split.metadata.ignoreLabelId
        var puzzle = split.puzzle(ofExample: position)
        for b in 0..<valid {
            let e = position + b
            while Int(split.puzzleIndices[puzzle + 1]) <= e { puzzle += 1 }
            let base = e * s
            for k in 0..<s {
                inputs[b * s + k] = Int32(split.inputs[base + k])
                let l = Int(split.labels[base + k])
                labels[b * s + k] = l == ignore ? -100 : Int32(l)
            }
            ids[b] = split.puzzleIdentifiers[puzzle]
        }
        position += valid
        return PuzzleBatch(inputs: inputs, labels: labels, puzzleIdentifiers: ids, validRows: valid)
    }
}

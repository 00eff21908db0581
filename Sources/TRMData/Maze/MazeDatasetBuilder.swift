import Foundation
import TRMCore

/// Options of the reference maze builder (`build_maze_dataset.py`), plus a seed and the
/// relabel-after-transform choice.
public struct MazeBuildOptions: Codable, Sendable, Equatable {
    /// Keep this many training mazes, drawn uniformly without replacement (nil = all).
    public var subsampleSize: Int?
    /// Add the 8 dihedral transforms of every training maze (off by default, like the reference).
    public var augment: Bool
    /// After a transform, recompute the label with the BFS tie-break instead of transforming it
    /// (the transformed label is a shortest path but usually not the tie-break one).
    public var relabelAfterTransform: Bool
    /// Seed for subsampling.
    public var seed: UInt64

    /// Creates options (defaults: everything, no augmentation).
    public init(subsampleSize: Int? = nil, augment: Bool = false, relabelAfterTransform: Bool = false, seed: UInt64 = 0) {
        self.subsampleSize = subsampleSize
        self.augment = augment
        self.relabelAfterTransform = relabelAfterTransform
        self.seed = seed
    }
}

/// Turns mazes into the reference's arrays: `# SGo` → tokens 1…5, vocab 6, one example per
/// puzzle, identifiers all 0, difficulty = path cells.
public enum MazeDatasetBuilder {
    /// Applies dihedral `t` to a maze; with `relabel`, recomputes the answer by BFS.
    public static func transform(_ r: MazeRecord, _ t: Int, relabel: Bool) -> MazeRecord {
        let side = r.side
        let q = Dihedral.apply(t, r.question, rows: side, columns: side)
        var a = Dihedral.apply(t, r.answer, rows: side, columns: side)
        if relabel, let solved = MazeRecord.solve(q, side: side) { a = solved.answer }
        return MazeRecord(source: r.source, question: q, answer: a, rating: r.rating)
    }

    /// Encodes one split; with `augment`, each maze becomes a group of its 8 transforms (id order).
    public static func encode(_ records: [MazeRecord], augment: Bool, relabel: Bool) -> PuzzleSplit {
        let n = records.first.map { $0.question.count } ?? 900
        var builder = SplitBuilder(seqLen: n)
        for record in records {
            for t in 0..<(augment ? 8 : 1) {
                let r = t == 0 ? record : transform(record, t, relabel: relabel)
                builder.addExample(
                    input: r.question.map { MazeRecord.token($0)! },
                    label: r.answer.map { MazeRecord.token($0)! }, difficulty: r.rating)
                builder.endPuzzle(identifier: 0)
            }
            builder.endGroup()
        }
        return builder.finish(vocabSize: 6, numPuzzleIdentifiers: 1, referenceCounts: true)
    }

    /// Builds train and test (test is never augmented).
    public static func build(train: [MazeRecord], test: [MazeRecord], options: MazeBuildOptions) -> PuzzleDataset {
        var rows = train
        if let k = options.subsampleSize, k < rows.count {
            var rng = RandomGenerator.derived(seed: options.seed, stream: 0x3A2E)
            rows.shuffle(using: &rng)
            rows.removeLast(rows.count - k)
        }
        return PuzzleDataset(
            identifiers: ["<blank>"],
            train: encode(rows, augment: options.augment, relabel: options.relabelAfterTransform),
            test: encode(test, augment: false, relabel: false))
    }

    /// A representative of a maze's class under the 8 rotations and reflections: the smallest of
    /// its transformed questions. Two mazes are the same up to symmetry exactly when keys are equal.
    public static func symmetryKey(_ question: [UInt8], side: Int) -> [UInt8] {
        (0..<8).map { Dihedral.apply($0, question, rows: side, columns: side) }.min { $0.lexicographicallyPrecedes($1) }!
    }

    /// Decodes tokens (1…5) back to maze characters.
    public static func characters(_ tokens: ArraySlice<UInt8>) -> [UInt8] {
        tokens.map { $0 >= 1 && $0 <= 5 ? MazeRecord.alphabet[Int($0) - 1] : UInt8(ascii: "?") }
    }
}

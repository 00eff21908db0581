import TRMCore

/// A fresh random symmetry for every training sample as the sampler draws it, the way the
/// reference's small recipes train, instead of a fixed set of augmented copies stored in the
/// dataset. Over many epochs the model never sees the same view of a puzzle twice, which stored
/// copies only approach with thousands of them per puzzle.
///
/// - Sudoku: digit relabelling (when `permuteDigits`), transpose (square boxes), band/row and
///   stack/column shuffles (when `shuffleGrid`): `SudokuTransform.random`.
/// - Maze: one of the 8 dihedral transforms, with the label recomputed by the BFS tie-break (the
///   transformed label is still a shortest path, but usually not the one the tie-break picks, and
///   exact-match evaluation asks for the tie-break path).
public enum OnlineAugmentation: Sendable, Equatable {
    /// Sudoku grids of `shape`, tokens as `SudokuDatasetBuilder` writes them (value + 1).
    case sudoku(SudokuShape, permuteDigits: Bool, shuffleGrid: Bool = true)
    /// Square mazes of `side` cells, tokens as `MazeDatasetBuilder` writes them (1…5).
    case maze(side: Int)

    /// Transforms one example in place. `input` and `label` hold the stored tokens of one sequence;
    /// draws from `rng` only (so a sampler that saves `rng` resumes with the same draws).
    public func apply(input: inout [UInt8], label: inout [UInt8], using rng: inout RandomGenerator) {
        switch self {
        case .sudoku(let shape, let permuteDigits, let shuffleGrid):
            let transform = SudokuTransform.random(shape, permuteDigits: permuteDigits, shuffleGrid: shuffleGrid, using: &rng)
            // Tokens are value + 1 (blank 1), so shift, transform the values, shift back.
            input = transform.apply(input.map { $0 - 1 }).map(SudokuDatasetBuilder.token)
            label = transform.apply(label.map { $0 - 1 }).map(SudokuDatasetBuilder.token)
        case .maze(let side):
            let t = Int(rng.next() % 8)
            guard t != 0 else { return }
            let question = Dihedral.apply(t, MazeDatasetBuilder.characters(input[...]), rows: side, columns: side)
            // A maze without one S, one G and a path cannot be relabelled; keep it as stored.
            guard let solved = MazeRecord.solve(question, side: side) else { return }
            input = question.map { MazeRecord.token($0)! }
            label = solved.answer.map { MazeRecord.token($0)! }
        }
    }
}

import Foundation
import TRMCore
import TRMData

/// Puzzles taken from a run's own data instead of typed in: its test split, its ARC tasks, or a
/// fresh puzzle drawn by the generator its config describes. Nothing here reads a path given by
/// the caller, so front ends may pass user input straight through.
extension SolveInput {
    /// One test-split example of a Sudoku or maze run, with its answer and difficulty. The index
    /// is the example's position in the split, the same as `ExampleKRecord.example`.
    /// - Throws: `PuzzleInputError` when the index is outside the split.
    public static func testPuzzle(_ index: Int, dataset: PuzzleDataset, kind: DatasetKind) throws -> SolvePuzzle {
        let split = dataset.test
        guard (0..<split.exampleCount).contains(index) else {
            throw PuzzleInputError("example \(index) is outside the run's test split (0…\(split.exampleCount - 1))")
        }
        return SolvePuzzle(
            kind: kind, source: "test example \(index)", tokens: Array(split.input(index)), answer: Array(split.label(index)),
            identifier: split.puzzleIdentifiers[split.puzzle(ofExample: index)])
    }

    /// The ARC task ids of the run's test split, in split order (each once, augmentations left out).
    public static func arcTaskIDs(_ dataset: PuzzleDataset) -> [String] {
        let split = dataset.test
        var seen = Set<Int32>()
        var ids: [String] = []
        for identifier in split.puzzleIdentifiers where seen.insert(identifier).inserted {
            let name = dataset.identifiers[Int(identifier)]
            if let parsed = ARCAugmentation.parse(puzzleName: name), parsed.augmentation == .identity { ids.append(parsed.taskID) }
        }
        return ids
    }

    /// A new puzzle of the run's kind and size from the generator its dataset section configures
    /// (Sudoku blanks and rating, maze side, wall density and path length), with its answer.
    /// The same `seed` gives the same puzzle.
    /// - Throws: `PuzzleInputError` for ARC runs (tasks cannot be generated) or when the
    ///   generator finds no puzzle within its attempts.
    public static func generated(for experiment: ExperimentConfig, seed: UInt64) throws -> SolvePuzzle {
        let recipe = try DatasetPreparation.recipe(for: experiment.dataset, seed: seed)
        var rng = RandomGenerator(seed: seed)
        switch experiment.dataset.kind {
        case .sudoku:
            guard let record = SudokuGenerator.generateOne(recipe.sudokuGenerator, using: &rng) else {
                throw PuzzleInputError("the Sudoku generator found no puzzle with the run's blanks and rating; try another seed")
            }
            return SolvePuzzle(
                kind: .sudoku, source: "generated (seed \(seed))", tokens: record.question.map(SudokuDatasetBuilder.token),
                answer: record.answer.map(SudokuDatasetBuilder.token))
        case .maze:
            guard let record = MazeGenerator.generateOne(recipe.mazeGenerator, using: &rng) else {
                throw PuzzleInputError("the maze generator found no maze with the run's wall density and path length; try another seed")
            }
            return SolvePuzzle(
                kind: .maze, source: "generated (seed \(seed))", tokens: record.question.map { MazeRecord.token($0)! },
                answer: record.answer.map { MazeRecord.token($0)! })
        case .arc:
            throw PuzzleInputError("ARC tasks cannot be generated; pick a task id of the run's test set")
        }
    }
}

import TRMCore
import Testing

@testable import TRMData

@Suite struct SymmetryKeyTests {
    @Test func sudokuKeyIsTheSameForEveryViewAndSeparatesClasses() throws {
        for shape in [SudokuShape.four, .six] {
            let puzzles = try SudokuGenerator.generate(count: 12, options: SudokuGeneratorOptions(shape: shape, minBlanks: 4), seed: 21)
            var rng = RandomGenerator(seed: 5)
            let keys = puzzles.map { SudokuTransform.symmetryKey($0.question, shape: shape) }
            for (puzzle, key) in zip(puzzles, keys) {
                for _ in 0..<5 {
                    let view = SudokuTransform.random(shape, using: &rng).apply(puzzle.question)
                    #expect(SudokuTransform.symmetryKey(view, shape: shape) == key)
                }
            }
            // Puzzles with different numbers of givens can never share a class.
            for i in puzzles.indices {
                for j in puzzles.indices where puzzles[i].question.filter({ $0 == 0 }).count != puzzles[j].question.filter({ $0 == 0 }).count {
                    #expect(keys[i] != keys[j])
                }
            }
        }
    }

    @Test func mazeKeyIsTheSameForAllEightViews() throws {
        let mazes = try MazeGenerator.generate(count: 5, options: MazeGeneratorOptions(side: 7, minPathCells: 6), seed: 8)
        for maze in mazes {
            let key = MazeDatasetBuilder.symmetryKey(maze.question, side: 7)
            for t in 0..<8 {
                #expect(MazeDatasetBuilder.symmetryKey(Dihedral.apply(t, maze.question, rows: 7, columns: 7), side: 7) == key)
            }
        }
        #expect(Set(mazes.map { MazeDatasetBuilder.symmetryKey($0.question, side: 7) }).count == mazes.count)
    }

    @Test func generatedBlankCountsSpanTheRequestedRange() throws {
        let puzzles = try SudokuGenerator.generate(count: 200, options: SudokuGeneratorOptions(shape: .four, minBlanks: 6, maxBlanks: 10), seed: 2)
        let counts = Set(puzzles.map { $0.question.filter { $0 == 0 }.count })
        #expect(counts == Set(6...10))
    }

    @Test func generatedTestPuzzlesAreNotTrainingPuzzlesInDisguise() throws {
        var recipe = DatasetRecipe(kind: .sudoku, source: .generate(trainCount: 300, testCount: 100), seed: 4)
        recipe.sudokuGenerator = SudokuGeneratorOptions(shape: .four, minBlanks: 6, maxBlanks: 10)
        let dataset = try recipe.build().dataset
        func keys(_ split: PuzzleSplit) -> Set<[UInt8]> {
            Set(
                (0..<split.exampleCount).map { e in
                    SudokuTransform.symmetryKey(split.inputs[e * 16..<(e + 1) * 16].map { $0 - 1 }, shape: .four)
                })
        }
        #expect(dataset.test.exampleCount == 100)
        #expect(keys(dataset.train).isDisjoint(with: keys(dataset.test)))
    }
}

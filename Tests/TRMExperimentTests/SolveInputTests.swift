import Foundation
import TRMData
import Testing

@testable import TRMExperiment

/// Puzzle strings, puzzle files and user CSVs for `trm-exp solve` and `trm-exp eval`: every
/// rejection says what was expected and where.
struct SolveInputTests {
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("trm-solve-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test func sudokuStringsParseWithBothBlankSpellings() throws {
        let puzzle = try SolvePuzzleParser.sudoku("1.3.0.1.3..2.4..", cells: 16)
        #expect(puzzle.tokens == [2, 1, 4, 1, 1, 1, 2, 1, 4, 1, 1, 3, 1, 5, 1, 1])
        #expect(puzzle.grid.text == "1.3...1.3..2.4..")
        #expect(puzzle.grid.lines == ["1.3.", "..1.", "3..2", ".4.."])
    }

    @Test func invalidSudokuStringsSayWhatIsWrong() {
        let nine = String(repeating: ".", count: 80)
        #expect(message { _ = try SolvePuzzleParser.sudoku(nine, cells: 81) } == "expected 81 characters of 1-9 and '.' (blank), found 80")
        #expect(
            message { _ = try SolvePuzzleParser.sudoku(String(repeating: ".", count: 16), cells: 81) }
                == "expected 81 characters of 1-9 and '.' (blank), found 16 (a 4×4 Sudoku; this run's model solves another size)")
        #expect(
            message { _ = try SolvePuzzleParser.sudoku("1.3.x.1.3..2.4..", cells: 16) }
                == "expected 16 characters of 1-4 and '.' (blank), found 'x' at position 5 (row 2, column 1)")
        #expect(
            message { _ = try SolvePuzzleParser.sudoku("1.3.5.1.3..2.4..", cells: 16) }
                == "expected 16 characters of 1-4 and '.' (blank), found '5' at position 5 (row 2, column 1)")
    }

    @Test func invalidMazeStringsSayWhatIsWrong() throws {
        let maze = "S  #" + " # #" + "    " + "#  G"
        #expect(try SolvePuzzleParser.maze(maze, cells: 16).grid.text == maze)
        #expect(
            message { _ = try SolvePuzzleParser.maze(String(maze.dropLast()), cells: 16) }
                == "expected 16 characters of '#', ' ', 'S' and 'G' (a 4×4 maze, row by row), found 15")
        #expect(
            message { _ = try SolvePuzzleParser.maze(maze.replacingOccurrences(of: "G", with: " "), cells: 16) }
                == "expected 16 characters of '#', ' ', 'S' and 'G' (a 4×4 maze, row by row): a maze needs exactly one 'G', found 0")
        #expect(
            message { _ = try SolvePuzzleParser.maze(maze.replacingOccurrences(of: "#  G", with: "#o G"), cells: 16) }
                .hasSuffix("found 'o' at position 14 (row 4, column 2)"))
    }

    @Test func puzzleFilesNameTheBadLine() throws {
        let file = try folder().appendingPathComponent("puzzles.txt")
        try "1.3...1.3..2.4..\n\n1.3...1.3..2.4.\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(
            message { _ = try SolveInput.file(file.path, kind: .sudoku, cells: 16) }
                == "puzzles.txt line 3: expected 16 characters of 1-4 and '.' (blank), found 15")
    }

    @Test func userCSVWithABadRowFailsNamingFileAndLine() throws {
        let file = try folder().appendingPathComponent("mine.csv")
        try """
        source,question,answer,rating
        a,1.3...1.2..3.3..,1234341221434321,0
        b,1.3...1.2..3.3..,12343412214343,0
        """.write(to: file, atomically: true, encoding: .utf8)
        let smoke = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("experiments/smoke.json")
        let experiment = try ExperimentConfig.load(contentsOf: smoke).config
        let error = message { _ = try EvaluationData.load(path: file.path, experiment: experiment, seqLen: 16, vocabSize: 6) }
        #expect(error.contains("mine.csv") && error.contains("line 3"), "\(error)")
        #expect(message { _ = try SolveInput.file(file.path, kind: .sudoku, cells: 16) } == error)
    }

    @Test func changedCellsAreMarkedWithoutColour() {
        let before = PuzzleGrid(kind: .sudoku, tokens: [2, 1, 1, 1])
        let after = PuzzleGrid(kind: .sudoku, tokens: [2, 3, 1, 1])
        #expect(after.render(previous: before, colour: false) == " 1*2\n . .")
        #expect(after.render(previous: before, colour: true).contains("\u{1B}[30;43m2\u{1B}[0m"))
    }

    private func smokeConfig(_ overrides: [String] = []) throws -> ExperimentConfig {
        let smoke = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("experiments/smoke.json")
        return try ExperimentConfig.load(contentsOf: smoke, overrides: overrides).config
    }

    @Test func testPuzzlesCarryTheirAnswers() throws {
        let answer: [UInt8] = [1, 2, 3, 4, 3, 4, 1, 2, 2, 1, 4, 3, 4, 3, 2, 1]
        let solved = [SudokuRecord(source: "a", question: [1, 0, 3, 0, 0, 0, 1, 0, 2, 0, 0, 3, 0, 3, 0, 0], answer: answer, rating: 0)]
        let dataset = SudokuDatasetBuilder.build(train: solved, test: solved, options: SudokuBuildOptions())
        let puzzle = try SolveInput.testPuzzle(0, dataset: dataset, kind: .sudoku)
        #expect(puzzle.grid.text == "1.3...1.2..3.3..")
        #expect(PuzzleGrid(kind: .sudoku, tokens: puzzle.answer!).text == "1234341221434321")
        #expect(message { _ = try SolveInput.testPuzzle(1, dataset: dataset, kind: .sudoku) } == "example 1 is outside the run's test split (0…0)")
    }

    @Test func arcTaskIDsLeaveAugmentationsOut() throws {
        let pair = ARCPair(input: ARCGrid([[1, 2], [3, 4]]), output: ARCGrid([[4, 3], [2, 1]]))
        let tasks = ["t1", "t2"].map { ARCTask(id: $0, train: [pair, pair], test: [pair]) }
        let dataset = ARCDatasetBuilder.build(subsets: [(name: "evaluation", tasks: tasks)], options: ARCBuildOptions(numAug: 3))
        #expect(dataset.identifiers.count > 3)
        #expect(SolveInput.arcTaskIDs(dataset) == ["t1", "t2"])
        let puzzles = try SolveInput.arcTask(id: "t2", dataset: dataset)
        #expect(puzzles.count == 1 && puzzles[0].grid.lines == ["12", "34"])
        #expect(message { _ = try SolveInput.arcTask(id: "/etc/passwd", dataset: dataset) }.hasPrefix("no task /etc/passwd in the run's dataset;"))
    }

    @Test func generatedPuzzlesFollowTheRunsGenerator() throws {
        let config = try smokeConfig()
        let puzzle = try SolveInput.generated(for: config, seed: 5)
        let blanks = puzzle.grid.cells.filter { $0 == "." }.count
        #expect(puzzle.tokens.count == 16 && (6...10).contains(blanks), "\(puzzle.grid.text)")
        let answer = try #require(puzzle.answer)
        #expect(SudokuSolver(shape: .four).solve(puzzle.tokens.map { $0 - 1 }, limit: 2).solution == answer.map { $0 - 1 })
        #expect(try SolveInput.generated(for: config, seed: 5).tokens == puzzle.tokens)
        #expect(try SolveInput.generated(for: config, seed: 6).tokens != puzzle.tokens)

        let maze = try smokeConfig([
            "dataset.kind=maze", "dataset.sudoku_size=null", "dataset.blanks=null", "dataset.grid_size=6", "dataset.min_path_length=4",
        ])
        let generated = try SolveInput.generated(for: maze, seed: 1)
        #expect(generated.kind == .maze && generated.tokens.count == 36)
        #expect(generated.grid.cells.filter { $0 == "S" }.count == 1)
        #expect(PuzzleGrid(kind: .maze, tokens: generated.answer!).cells.contains("o"))
    }
}

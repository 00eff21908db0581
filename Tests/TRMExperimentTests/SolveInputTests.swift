import Foundation
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
}

import Foundation
import TRMData

/// Why a puzzle given to `trm-exp solve` cannot be used; says what was expected.
public struct PuzzleInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// One puzzle to solve: the model's input tokens, where it came from, and how to show answers.
public struct SolvePuzzle: Sendable {
    /// The dataset kind, which fixes the token encoding and how grids are drawn.
    public var kind: DatasetKind
    /// Where the puzzle came from: the string, "FILE line N" or an ARC task id.
    public var source: String
    /// Input tokens, `seq_len` of them.
    public var tokens: [UInt8]
    /// The known answer's tokens, when the input carried one (published CSV, ARC test output).
    public var answer: [UInt8]?
    /// Puzzle identifier (the ARC augmentation's row in the puzzle table; 0 otherwise).
    public var identifier: Int32 = 0

    /// The puzzle as text: the input grid drawn the way answers are.
    public var grid: PuzzleGrid { PuzzleGrid(kind: kind, tokens: tokens) }
}

/// Parses the puzzle strings `trm-exp solve` accepts. Token encodings come from the dataset
/// builders (`SudokuDatasetBuilder.token`, `MazeRecord.token`), so solve feeds the model exactly
/// what training did.
public enum SolvePuzzleParser {
    /// A Sudoku of `cells` (16, 36 or 81) characters, row by row: digits 1…n, '.' or '0' for blanks.
    public static func sudoku(_ text: String, cells: Int, source: String? = nil) throws -> SolvePuzzle {
        guard let shape = SudokuShape.forSide(Int(Double(cells).squareRoot().rounded())), shape.cells == cells else {
            throw PuzzleInputError("this run's model takes \(cells) tokens, which is not a 4×4, 6×6 or 9×9 Sudoku")
        }
        let side = shape.side
        let expected = "expected \(cells) characters of 1-\(side) and '.' (blank)"
        let characters = Array(text)
        guard characters.count == cells else {
            throw PuzzleInputError("\(expected), found \(characters.count)\(lengthHint(characters.count, unit: "Sudoku"))")
        }
        var values: [UInt8] = []
        for (i, character) in characters.enumerated() {
            if character == "." || character == "0" {
                values.append(0)
            } else if let digit = character.wholeNumberValue, character.isASCII, (1...side).contains(digit) {
                values.append(UInt8(digit))
            } else {
                throw PuzzleInputError("\(expected), found '\(character)' at position \(i + 1) (row \(i / side + 1), column \(i % side + 1))")
            }
        }
        return SolvePuzzle(kind: .sudoku, source: source ?? text, tokens: values.map(SudokuDatasetBuilder.token), answer: nil)
    }

    /// A maze of `cells` (side²) characters, row by row: '#' wall, ' ' open, one 'S' and one 'G'.
    public static func maze(_ text: String, cells: Int, source: String? = nil) throws -> SolvePuzzle {
        let side = Int(Double(cells).squareRoot().rounded())
        let expected = "expected \(cells) characters of '#', ' ', 'S' and 'G' (a \(side)×\(side) maze, row by row)"
        let bytes = Array(text.utf8)
        guard text.count == cells, bytes.count == cells else {
            throw PuzzleInputError("\(expected), found \(text.count)\(lengthHint(text.count, unit: "maze"))")
        }
        for (i, byte) in bytes.enumerated() where !Array("# SG".utf8).contains(byte) {
            throw PuzzleInputError(
                "\(expected), found '\(Character(UnicodeScalar(byte)))' at position \(i + 1) (row \(i / side + 1), column \(i % side + 1))")
        }
        for mark in ["S", "G"] {
            let count = bytes.filter { $0 == UInt8(ascii: mark.unicodeScalars.first!) }.count
            guard count == 1 else { throw PuzzleInputError("\(expected): a maze needs exactly one '\(mark)', found \(count)") }
        }
        return SolvePuzzle(kind: .maze, source: source ?? "maze", tokens: bytes.map { MazeRecord.token($0)! }, answer: nil)
    }

    /// One line of text in the format of the run's dataset kind (Sudoku or maze).
    public static func puzzle(_ text: String, kind: DatasetKind, cells: Int, source: String? = nil) throws -> SolvePuzzle {
        switch kind {
        case .sudoku: return try sudoku(text, cells: cells, source: source)
        case .maze: return try maze(text, cells: cells, source: source)
        case .arc: throw PuzzleInputError("ARC runs take a task id from the run's dataset or a task JSON file, not a grid string")
        }
    }

    /// A hint for the commonest length mistakes: a puzzle of another size or a truncated line.
    private static func lengthHint(_ count: Int, unit: String) -> String {
        let side = Int(Double(count).squareRoot().rounded())
        return side * side == count && count > 0 ? " (a \(side)×\(side) \(unit); this run's model solves another size)" : ""
    }
}

import Foundation
import TRMData

/// A puzzle or answer as a grid of characters: Sudoku digits and '.', maze `# SGo`, ARC colours
/// 0–9 (the cropped output grid). Decoding inverts the dataset builders' token encodings.
public struct PuzzleGrid: Sendable, Equatable {
    /// Number of rows of the grid.
    public var rows: Int
    /// Number of columns of the grid.
    public var columns: Int
    /// Row-major characters.
    public var cells: [Character]
    /// Sequence position of each cell (ARC grids are cropped from the 30×30 canvas).
    public var positions: [Int]

    /// Decodes tokens of `kind`; a token outside the puzzle's alphabet shows as '?'.
    public init<C: RandomAccessCollection>(kind: DatasetKind, tokens: C) where C.Element: BinaryInteger, C.Index == Int {
        switch kind {
        case .sudoku, .maze:
            let side = Int(Double(tokens.count).squareRoot().rounded())
            rows = side
            columns = side
            positions = Array(0..<tokens.count)
            cells = tokens.map { token -> Character in
                let t = Int(token)
                if kind == .maze { return (1...5).contains(t) ? Character(UnicodeScalar(MazeRecord.alphabet[t - 1])) : "?" }
                return t == 1 ? "." : (2...10).contains(t) ? Character(String(t - 1)) : "?"
            }
        case .arc:
            let grid = ARCEncoding.crop(tokens)
            rows = grid.rows
            columns = grid.columns
            cells = grid.cells.map { Character(String($0)) }
            positions = (0..<grid.rows).flatMap { r in (0..<grid.columns).map { r * ARCEncoding.side + $0 } }
        }
    }

    /// The characters row by row without separators (Sudoku and maze: the input format).
    public var text: String { String(cells) }

    /// Rows as strings.
    public var lines: [String] { (0..<rows).map { String(cells[($0 * columns)..<(($0 + 1) * columns)]) } }

    /// The grid for a terminal: cells that differ from `previous` (same position) are highlighted
    /// with ANSI colour when `colour`, else preceded by '*'.
    public func render(previous: PuzzleGrid?, colour: Bool) -> String {
        (0..<rows).map { r in
            (0..<columns).map { c -> String in
                let cell = cells[r * columns + c]
                var changed = false
                if let previous {
                    changed = r >= previous.rows || c >= previous.columns || previous.cells[r * previous.columns + c] != cell
                }
                guard changed else { return " \(cell)" }
                return colour ? " \u{1B}[30;43m\(cell)\u{1B}[0m" : "*\(cell)"
            }.joined()
        }.joined(separator: "\n")
    }
}

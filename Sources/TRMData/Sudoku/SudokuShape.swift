/// The geometry of an n×n Sudoku: boxes of `boxRows` × `boxColumns` cells, n = boxRows·boxColumns.
public struct SudokuShape: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Rows per box.
    public let boxRows: Int
    /// Columns per box.
    public let boxColumns: Int

    /// Creates a shape; n = boxRows·boxColumns must be at most 9 (one character per digit).
    public init(boxRows: Int, boxColumns: Int) {
        precondition(boxRows >= 1 && boxColumns >= 1 && boxRows * boxColumns <= 9, "unsupported Sudoku shape")
        self.boxRows = boxRows
        self.boxColumns = boxColumns
    }

    /// 4×4 with 2×2 boxes.
    public static let four = SudokuShape(boxRows: 2, boxColumns: 2)
    /// 6×6 with boxes of 2 rows × 3 columns.
    public static let six = SudokuShape(boxRows: 2, boxColumns: 3)
    /// The classic 9×9 with 3×3 boxes.
    public static let nine = SudokuShape(boxRows: 3, boxColumns: 3)

    /// The standard shape for side 4, 6 or 9, or nil.
    public static func forSide(_ n: Int) -> SudokuShape? {
        switch n {
        case 4: return .four
        case 6: return .six
        case 9: return .nine
        default: return nil
        }
    }

    /// Side length n.
    public var side: Int { boxRows * boxColumns }
    /// Number of cells n².
    public var cells: Int { side * side }
    /// Index of the box holding (row, column).
    @inline(__always) public func box(row: Int, column: Int) -> Int {
        (row / boxRows) * boxRows + column / boxColumns
    }

    public var description: String { "\(side)x\(side) (\(boxRows)x\(boxColumns) boxes)" }

    /// Checks that `grid` (values 1…n, row-major) is a complete valid solution; returns the
    /// first broken rule, or nil.
    public func violation(inSolution grid: [UInt8]) -> String? {
        let n = side
        guard grid.count == cells else { return "wrong cell count" }
        var rows = [UInt16](repeating: 0, count: n)
        var cols = rows
        var boxes = rows
        for r in 0..<n {
            for c in 0..<n {
                let v = Int(grid[r * n + c])
                guard v >= 1 && v <= n else { return "cell \(r * n + c) holds \(v)" }
                let bit = UInt16(1) << v
                let b = box(row: r, column: c)
                if rows[r] & bit != 0 { return "digit \(v) repeats in row \(r + 1)" }
                if cols[c] & bit != 0 { return "digit \(v) repeats in column \(c + 1)" }
                if boxes[b] & bit != 0 { return "digit \(v) repeats in box \(b + 1)" }
                rows[r] |= bit; cols[c] |= bit; boxes[b] |= bit
            }
        }
        return nil
    }
}

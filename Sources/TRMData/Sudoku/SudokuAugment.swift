import TRMCore

/// One validity-preserving Sudoku symmetry, as the reference builder draws it: a digit relabelling,
/// an optional transpose, a band-preserving row order and a stack-preserving column order.
///
/// The result is new[r][c] = digitMap[X[rowOrder[r]][columnOrder[c]]] with X the (optionally
/// transposed) grid; 0 (blank) always stays 0.
public struct SudokuTransform: Sendable, Equatable, Codable {
    /// digitMap[v] for v in 0…n; digitMap[0] == 0.
    public var digitMap: [UInt8]
    /// Transpose first (only drawn for square boxes).
    public var transpose: Bool
    /// Source row for each output row.
    public var rowOrder: [Int]
    /// Source column for each output column.
    public var columnOrder: [Int]

    /// The identity transform for `shape`.
    public static func identity(_ shape: SudokuShape) -> SudokuTransform {
        let n = shape.side
        return SudokuTransform(
            digitMap: (0...n).map { UInt8($0) }, transpose: false,
            rowOrder: Array(0..<n), columnOrder: Array(0..<n))
    }

    /// Draws a transform in the reference's order: digit permutation, transpose coin, band order,
    /// row order inside each band, stack order, column order inside each stack. Transposition is
    /// only possible (and only drawn) when boxes are square.
    public static func random(_ shape: SudokuShape, using rng: inout RandomGenerator) -> SudokuTransform {
        let n = shape.side
        var digits = Array(1...n).map { UInt8($0) }
        digits.shuffle(using: &rng)
        let transpose = shape.boxRows == shape.boxColumns ? rng.next() & 1 == 1 : false
        func order(groups: Int, size: Int) -> [Int] {
            var bands = Array(0..<groups)
            bands.shuffle(using: &rng)
            var result: [Int] = []
            for b in bands {
                var inside = Array(0..<size)
                inside.shuffle(using: &rng)
                result += inside.map { b * size + $0 }
            }
            return result
        }
        // Bands are boxRows rows tall; stacks are boxColumns columns wide.
        let rows = order(groups: n / shape.boxRows, size: shape.boxRows)
        let cols = order(groups: n / shape.boxColumns, size: shape.boxColumns)
        return SudokuTransform(digitMap: [0] + digits, transpose: transpose, rowOrder: rows, columnOrder: cols)
    }

    /// Draws as `random(_:using:)` (the same draws, so switching both parts on reproduces it) and
    /// then keeps only the parts asked for: without `permuteDigits` the digits stay, without
    /// `shuffleGrid` the transpose and the band/row and stack/column orders stay.
    public static func random(
        _ shape: SudokuShape, permuteDigits: Bool, shuffleGrid: Bool, using rng: inout RandomGenerator
    ) -> SudokuTransform {
        var transform = random(shape, using: &rng)
        let identity = SudokuTransform.identity(shape)
        if !permuteDigits { transform.digitMap = identity.digitMap }
        if !shuffleGrid { (transform.transpose, transform.rowOrder, transform.columnOrder) = (false, identity.rowOrder, identity.columnOrder) }
        return transform
    }

    /// Applies the transform to a row-major n×n grid.
    public func apply(_ grid: [UInt8]) -> [UInt8] {
        let n = rowOrder.count
        var out = [UInt8](repeating: 0, count: n * n)
        for r in 0..<n {
            let sr = rowOrder[r]
            for c in 0..<n {
                let sc = columnOrder[c]
                let v = transpose ? grid[sc * n + sr] : grid[sr * n + sc]
                out[r * n + c] = digitMap[Int(v)]
            }
        }
        return out
    }

    /// The transform that undoes this one.
    public var inverse: SudokuTransform {
        let n = rowOrder.count
        var inverseDigits = [UInt8](repeating: 0, count: n + 1)
        for v in 0...n { inverseDigits[Int(digitMap[v])] = UInt8(v) }
        var ir = [Int](repeating: 0, count: n), ic = ir
        for i in 0..<n { ir[rowOrder[i]] = i; ic[columnOrder[i]] = i }
        if transpose {
            // new = P[X^T permuted] ⇒ old[a][b] = P⁻¹[new[ir[b]][ic[a]]] ⇒ transpose, swapped orders.
            return SudokuTransform(digitMap: inverseDigits, transpose: true, rowOrder: ic, columnOrder: ir)
        }
        return SudokuTransform(digitMap: inverseDigits, transpose: false, rowOrder: ir, columnOrder: ic)
    }
}

extension SudokuTransform {
    /// Every row (or column) order that keeps a Sudoku valid: bands permuted, rows permuted inside
    /// each band; `groups` bands of `size` lines.
    static func lineOrders(groups: Int, size: Int) -> [[Int]] {
        func permutations(_ items: [Int]) -> [[Int]] {
            items.count <= 1
                ? [items]
                : items.indices.flatMap { i in permutations(items.enumerated().filter { $0.offset != i }.map(\.element)).map { [items[i]] + $0 } }
        }
        let inside = permutations(Array(0..<size))
        return permutations(Array(0..<groups)).flatMap { bands in
            bands.reduce([[Int]]([[]])) { partial, b in partial.flatMap { prefix in inside.map { prefix + $0.map { b * size + $0 } } } }
        }
    }

    /// A representative of `grid`'s class under every validity-preserving symmetry (digit
    /// relabelling, transpose for square boxes, band/row and stack/column orders): the smallest
    /// transformed grid, digits renumbered by first appearance. Two puzzles are the same up to
    /// symmetry exactly when their keys are equal. Enumerates all position symmetries, so it is
    /// meant for 4×4 (128 of them) and 6×6 (3,456); 9×9 has 3.4 million.
    public static func symmetryKey(_ grid: [UInt8], shape: SudokuShape) -> [UInt8] {
        let n = shape.side
        let rowOrders = lineOrders(groups: n / shape.boxRows, size: shape.boxRows)
        let columnOrders = lineOrders(groups: n / shape.boxColumns, size: shape.boxColumns)
        var best: [UInt8]?
        var candidate = [UInt8](repeating: 0, count: n * n)
        var relabel = [UInt8](repeating: 0, count: n + 1)
        for transpose in shape.boxRows == shape.boxColumns ? [false, true] : [false] {
            for rows in rowOrders {
                for columns in columnOrders {
                    for v in relabel.indices { relabel[v] = 0 }
                    var next: UInt8 = 1
                    for r in 0..<n {
                        for c in 0..<n {
                            let v = Int(transpose ? grid[columns[c] * n + rows[r]] : grid[rows[r] * n + columns[c]])
                            if v != 0 && relabel[v] == 0 {
                                relabel[v] = next
                                next += 1
                            }
                            candidate[r * n + c] = relabel[v]
                        }
                    }
                    if best.map({ candidate.lexicographicallyPrecedes($0) }) ?? true { best = candidate }
                }
            }
        }
        return best!
    }
}

import TRMCore

/// The outcome of solving a Sudoku.
public struct SudokuSolveResult: Sendable, Equatable {
    /// Solutions found, stopped at the requested limit (0 = none, 1 = unique when limit ≥ 2).
    public var solutionCount: Int
    /// The first solution found (values 1…n, row-major), if any.
    public var solution: [UInt8]?
    /// Number of guesses: values tried at cells that had more than one candidate. 0 means the
    /// puzzle fell to forced moves alone. Our own scale (not tdoku's), used as a difficulty rating.
    public var guesses: Int
}

/// An exact Sudoku solver over bitmasks: most-constrained-cell search with forced singles, able to
/// count solutions up to a limit and to fill an empty grid at random.
public struct SudokuSolver: Sendable {
    /// The geometry solved.
    public let shape: SudokuShape
    // Peer lists: for each cell, its row, column and box indices.
    private let rowOf: [Int]
    private let colOf: [Int]
    private let boxOf: [Int]
    /// Cells of every unit: n rows, then n columns, then n boxes, n cells each.
    private let unitCells: [Int]

    /// Creates a solver for `shape`.
    public init(shape: SudokuShape = .nine) {
        self.shape = shape
        let n = shape.side
        rowOf = (0..<shape.cells).map { $0 / n }
        colOf = (0..<shape.cells).map { $0 % n }
        boxOf = (0..<shape.cells).map { shape.box(row: $0 / n, column: $0 % n) }
        var units: [Int] = []
        for r in 0..<n { units += (0..<n).map { r * n + $0 } }
        for c in 0..<n { units += (0..<n).map { $0 * n + c } }
        for b in 0..<n {
            let r0 = (b / shape.boxRows) * shape.boxRows, c0 = (b % shape.boxRows) * shape.boxColumns
            for r in r0..<(r0 + shape.boxRows) { for c in c0..<(c0 + shape.boxColumns) { units.append(r * n + c) } }
        }
        unitCells = units
    }

    /// Solves `grid` (0 = blank, 1…n = given, row-major), counting at most `limit` solutions.
    /// Givens that already conflict give 0 solutions.
    public func solve(_ grid: [UInt8], limit: Int = 2) -> SudokuSolveResult {
        var rng: RandomGenerator? = nil
        return run(grid, limit: limit, rng: &rng)
    }

    /// Number of solutions of `grid`, stopping at `limit`.
    public func countSolutions(_ grid: [UInt8], limit: Int = 2) -> Int {
        solve(grid, limit: limit).solutionCount
    }

    /// A uniformly shuffled search's first solution of `grid` (an empty grid gives a random full
    /// grid), or nil if there is none.
    public func randomSolution(_ grid: [UInt8], using rng: inout RandomGenerator) -> [UInt8]? {
        var r: RandomGenerator? = rng
        let result = run(grid, limit: 1, rng: &r)
        rng = r!
        return result.solution
    }

    private func run(_ grid: [UInt8], limit: Int, rng: inout RandomGenerator?) -> SudokuSolveResult {
        precondition(grid.count == shape.cells, "grid has \(grid.count) cells, expected \(shape.cells)")
        let n = shape.side
        let full = UInt16(((1 << n) - 1) << 1)
        var rows = [UInt16](repeating: 0, count: n)
        var cols = rows
        var boxes = rows
        var cells = grid
        for i in 0..<shape.cells where grid[i] != 0 {
            let v = Int(grid[i])
            if v > n { return SudokuSolveResult(solutionCount: 0, solution: nil, guesses: 0) }
            let bit = UInt16(1) << v
            if (rows[rowOf[i]] | cols[colOf[i]] | boxes[boxOf[i]]) & bit != 0 {
                return SudokuSolveResult(solutionCount: 0, solution: nil, guesses: 0)
            }
            rows[rowOf[i]] |= bit; cols[colOf[i]] |= bit; boxes[boxOf[i]] |= bit
        }
        var empties = (0..<shape.cells).filter { grid[$0] == 0 }
        var state = SearchState(limit: limit)
        rows.withUnsafeMutableBufferPointer { rp in
            cols.withUnsafeMutableBufferPointer { cp in
                boxes.withUnsafeMutableBufferPointer { bp in
                    cells.withUnsafeMutableBufferPointer { gp in
                        empties.withUnsafeMutableBufferPointer { ep in
                            rowOf.withUnsafeBufferPointer { ro in
                                colOf.withUnsafeBufferPointer { co in
                                    boxOf.withUnsafeBufferPointer { bo in
                                        unitCells.withUnsafeBufferPointer { uc in
                                            var ctx = SearchContext(
                                                rows: rp, cols: cp, boxes: bp, grid: gp, empties: ep,
                                                rowOf: ro, colOf: co, boxOf: bo, unitCells: uc, side: n, full: full)
                                            _ = ctx.search(depth: 0, state: &state, rng: &rng)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return SudokuSolveResult(solutionCount: state.count, solution: state.first, guesses: state.guesses)
    }
}

private struct SearchState {
    let limit: Int
    var count = 0
    var guesses = 0
    var first: [UInt8]? = nil
    init(limit: Int) { self.limit = limit }
}

private struct SearchContext {
    let rows: UnsafeMutableBufferPointer<UInt16>
    let cols: UnsafeMutableBufferPointer<UInt16>
    let boxes: UnsafeMutableBufferPointer<UInt16>
    let grid: UnsafeMutableBufferPointer<UInt8>
    /// Cells not yet filled live in empties[depth...].
    let empties: UnsafeMutableBufferPointer<Int>
    let rowOf: UnsafeBufferPointer<Int>
    let colOf: UnsafeBufferPointer<Int>
    let boxOf: UnsafeBufferPointer<Int>
    let unitCells: UnsafeBufferPointer<Int>
    let side: Int
    let full: UInt16

    /// Looks for a digit with exactly one possible cell in some unit. Returns (cell, bit), or
    /// cell −1 when there is none, or cell −2 when some unit has a missing digit with no place.
    func hiddenSingle() -> (cell: Int, bit: UInt16) {
        let n = side
        for u in 0..<(3 * n) {
            let placed: UInt16
            let first = unitCells[u * n]
            switch u / n {
            case 0: placed = rows[rowOf[first]]
            case 1: placed = cols[colOf[first]]
            default: placed = boxes[boxOf[first]]
            }
            let missing = full & ~placed
            if missing == 0 { continue }
            var once: UInt16 = 0, twice: UInt16 = 0
            for k in 0..<n {
                let cell = unitCells[u * n + k]
                if grid[cell] != 0 { continue }
                let m = candidates(cell)
                twice |= once & m
                once |= m
            }
            if once & missing != missing { return (-2, 0) }
            let hidden = once & ~twice & missing
            if hidden != 0 {
                let bit = hidden & (0 &- hidden)
                for k in 0..<n {
                    let cell = unitCells[u * n + k]
                    if grid[cell] == 0 && candidates(cell) & bit != 0 { return (cell, bit) }
                }
            }
        }
        return (-1, 0)
    }

    @inline(__always) func candidates(_ cell: Int) -> UInt16 {
        full & ~(rows[rowOf[cell]] | cols[colOf[cell]] | boxes[boxOf[cell]])
    }

    /// Returns true when the search should stop (limit reached).
    mutating func search(depth: Int, state: inout SearchState, rng: inout RandomGenerator?) -> Bool {
        let remaining = empties.count
        if depth == remaining {
            state.count += 1
            if state.first == nil { state.first = Array(grid) }
            return state.count >= state.limit
        }
        // Most constrained cell.
        var best = depth
        var bestCount = 99
        var bestMask: UInt16 = 0
        var i = depth
        while i < remaining {
            let m = candidates(empties[i])
            let c = m.nonzeroBitCount
            if c < bestCount {
                bestCount = c; best = i; bestMask = m
                if c <= 1 { break }
            }
            i += 1
        }
        if bestCount == 0 { return false }
        if bestCount > 1 {
            let (cell, bit) = hiddenSingle()
            if cell == -2 { return false }
            if cell >= 0 {
                var i = depth
                while empties[i] != cell { i += 1 }
                best = i
                bestCount = 1
                bestMask = bit
            }
        }
        empties.swapAt(depth, best)
        let cell = empties[depth]
        let r = rowOf[cell], c = colOf[cell], b = boxOf[cell]
        let branching = bestCount > 1
        var mask = bestMask
        var order: [Int] = []
        if var g = rng, branching {
            var m = mask
            while m != 0 { order.append(m.trailingZeroBitCount); m &= m - 1 }
            order.shuffle(using: &g)
            rng = g
        }
        var k = 0
        while true {
            let v: Int
            if order.isEmpty {
                if mask == 0 { break }
                v = mask.trailingZeroBitCount
                mask &= mask - 1
            } else {
                if k == order.count { break }
                v = order[k]; k += 1
            }
            if branching { state.guesses += 1 }
            let bit = UInt16(1) << v
            rows[r] |= bit; cols[c] |= bit; boxes[b] |= bit
            grid[cell] = UInt8(v)
            let stop = search(depth: depth + 1, state: &state, rng: &rng)
            rows[r] &= ~bit; cols[c] &= ~bit; boxes[b] &= ~bit
            grid[cell] = 0
            if stop { return true }
        }
        empties.swapAt(depth, best)
        return false
    }
}

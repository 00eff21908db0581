import TRMCore

/// An ARC augmentation: recolour with `colourMap` (colour 0 fixed), then dihedral transform.
public struct ARCAugmentation: Hashable, Sendable, Codable {
    /// Dihedral transform id 0…7.
    public var dihedral: Int
    /// colourMap[c] is the new colour of c; colourMap[0] == 0.
    public var colourMap: [UInt8]

    /// Creates an augmentation.
    public init(dihedral: Int, colourMap: [UInt8]) {
        precondition((0..<8).contains(dihedral) && colourMap.count == 10, "bad ARC augmentation")
        self.dihedral = dihedral
        self.colourMap = colourMap
    }

    /// The identity.
    public static let identity = ARCAugmentation(dihedral: 0, colourMap: (0..<10).map { UInt8($0) })

    /// Draws (t uniform in 0…7, colour 0 fixed, 1…9 uniformly permuted), as the reference does.
    public static func random(using rng: inout RandomGenerator) -> ARCAugmentation {
        let t = Int(rng.next() % 8)
        var colours = (1...9).map { UInt8($0) }
        colours.shuffle(using: &rng)
        return ARCAugmentation(dihedral: t, colourMap: [0] + colours)
    }

    /// Applies the augmentation to a grid.
    public func apply(_ g: ARCGrid) -> ARCGrid {
        let recoloured = g.cells.map { colourMap[Int($0)] }
        let (r, c) = Dihedral.shape(dihedral, rows: g.rows, columns: g.columns)
        return ARCGrid(rows: r, columns: c, cells: Dihedral.apply(dihedral, recoloured, rows: g.rows, columns: g.columns))
    }

    /// Undoes the augmentation: inverse dihedral first, then the inverse colour map.
    public func invert(_ g: ARCGrid) -> ARCGrid {
        let inv = Dihedral.inverse[dihedral]
        let (r, c) = Dihedral.shape(inv, rows: g.rows, columns: g.columns)
        var inverseMap = [UInt8](repeating: 0, count: 10)
        for k in 0..<10 { inverseMap[Int(colourMap[k])] = UInt8(k) }
        let cells = Dihedral.apply(inv, g.cells, rows: g.rows, columns: g.columns).map { $0 < 10 ? inverseMap[Int($0)] : $0 }
        return ARCGrid(rows: r, columns: c, cells: cells)
    }

    /// Applies the augmentation to every grid of a task.
    public func apply(_ task: ARCTask) -> ARCTask {
        func map(_ p: ARCPair) -> ARCPair { ARCPair(input: apply(p.input), output: p.output.map(apply)) }
        return ARCTask(id: task.id, train: task.train.map(map), test: task.test.map(map))
    }

    /// The puzzle-name suffix `|||t<t>|||<m0…m9>` (empty for the identity).
    public var nameSuffix: String {
        self == .identity ? "" : "|||t\(dihedral)|||" + colourMap.map(String.init).joined()
    }

    /// Splits a puzzle name into the task id and its augmentation (identity for a bare task id).
    public static func parse(puzzleName: String) -> (taskID: String, augmentation: ARCAugmentation)? {
        let parts = puzzleName.components(separatedBy: "|||")
        if parts.count == 1 { return (puzzleName, .identity) }
        guard parts.count == 3, parts[1].hasPrefix("t"), let t = Int(parts[1].dropFirst()), (0..<8).contains(t),
            parts[2].count == 10
        else { return nil }
        let map = parts[2].compactMap { $0.wholeNumberValue.map { UInt8($0) } }
        guard map.count == 10, Set(map).count == 10 else { return nil }
        return (parts[0], ARCAugmentation(dihedral: t, colourMap: map))
    }
}

extension ARCTask {
    /// The reference's task hash: per pair `<hash(input)>|<hash(output)>` over all pairs of both
    /// lists, sorted, joined with `|`, SHA-256 hex. Missing outputs count as the grid [[0]].
    public var referenceHash: String {
        let dummy = ARCGrid(rows: 1, columns: 1, cells: [0])
        let parts = (train + test).map { "\($0.input.referenceHash)|\(($0.output ?? dummy).referenceHash)" }.sorted()
        return SHA256.hex(Array(parts.joined(separator: "|").utf8))
    }
}

/// Token encoding of ARC grids on the 30×30 canvas: PAD 0, EOS 1, colour c → c+2.
public enum ARCEncoding {
    /// Canvas side.
    public static let side = 30
    /// Vocabulary size (PAD, EOS, ten colours).
    public static let vocabSize = 12

    /// Writes `grid` at (`rowOffset`, `columnOffset`) on a PAD canvas, with EOS on the row just below
    /// the grid (under its columns) and the column just right of it (beside its rows), where they fit.
    public static func encode(_ grid: ARCGrid, rowOffset: Int = 0, columnOffset: Int = 0) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: side * side)
        for r in 0..<grid.rows {
            for c in 0..<grid.columns {
                out[(rowOffset + r) * side + columnOffset + c] = grid.cells[r * grid.columns + c] + 2
            }
        }
        let eosRow = rowOffset + grid.rows, eosColumn = columnOffset + grid.columns
        if eosRow < side { for c in 0..<grid.columns { out[eosRow * side + columnOffset + c] = 1 } }
        if eosColumn < side { for r in 0..<grid.rows { out[(rowOffset + r) * side + eosColumn] = 1 } }
        return out
    }

    /// The reference evaluator's crop: the largest top-left-anchored rectangle of colour tokens
    /// (2…11), scanning rows from the top with a non-increasing column limit; tokens minus 2.
    public static func crop<C: RandomAccessCollection>(_ tokens: C) -> ARCGrid where C.Element: BinaryInteger, C.Index == Int {
        let base = tokens.startIndex
        var best = (rows: 0, columns: 0)
        var bestArea = 0
        var limit = side
        for r in 1...side {
            var c = 0
            while c < limit {
                let x = tokens[base + (r - 1) * side + c]
                if x < 2 || x > 11 { break }
                c += 1
            }
            limit = c
            if r * limit > bestArea {
                bestArea = r * limit
                best = (r, limit)
            }
        }
        var cells: [UInt8] = []
        cells.reserveCapacity(bestArea)
        for r in 0..<best.rows {
            for c in 0..<best.columns { cells.append(UInt8(tokens[base + r * side + c]) - 2) }
        }
        return ARCGrid(rows: best.rows, columns: best.columns, cells: cells)
    }
}

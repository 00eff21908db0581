/// The eight dihedral transforms of a grid, numbered as the reference numbers them (0 identity,
/// 1 rotate 90° ccw, 2 rotate 180°, 3 rotate 270° ccw, 4 mirror left–right, 5 mirror up–down,
/// 6 transpose, 7 anti-transpose).
public enum Dihedral {
    /// Inverse transform id of each id.
    public static let inverse = [0, 3, 2, 1, 4, 5, 6, 7]

    /// Shape (rows, columns) of the result of transform `t` on an R×C grid.
    public static func shape(_ t: Int, rows: Int, columns: Int) -> (rows: Int, columns: Int) {
        [1, 3, 6, 7].contains(t) ? (columns, rows) : (rows, columns)
    }

    /// Applies transform `t` to a row-major `rows`×`columns` grid; returns the new grid (its shape
    /// is `shape(t, rows:columns:)`).
    public static func apply<T>(_ t: Int, _ a: [T], rows R: Int, columns C: Int) -> [T] {
        precondition(a.count == R * C && (0..<8).contains(t), "bad dihedral input")
        let (nr, nc) = shape(t, rows: R, columns: C)
        var out = a
        for i in 0..<nr {
            for j in 0..<nc {
                let (r, c): (Int, Int)
                switch t {
                case 0: (r, c) = (i, j)
                case 1: (r, c) = (j, C - 1 - i)
                case 2: (r, c) = (R - 1 - i, C - 1 - j)
                case 3: (r, c) = (R - 1 - j, i)
                case 4: (r, c) = (i, C - 1 - j)
                case 5: (r, c) = (R - 1 - i, j)
                case 6: (r, c) = (j, i)
                default: (r, c) = (R - 1 - j, C - 1 - i)
                }
                out[i * nc + j] = a[r * C + c]
            }
        }
        return out
    }
}

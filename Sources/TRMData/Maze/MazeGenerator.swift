import Dispatch
import TRMCore

/// What kind of mazes to generate (Maze-Hard-like: independent random walls, far-apart S and G).
public struct MazeGeneratorOptions: Codable, Sendable, Equatable {
    /// Grid side, 5…30.
    public var side: Int
    /// Each maze draws its wall probability uniformly from this range.
    public var minWallDensity: Double
    /// Upper end of the wall probability range.
    public var maxWallDensity: Double
    /// Shortest accepted path, in cells including S and G (Maze-Hard: 110 for 30×30).
    public var minPathCells: Int
    /// Longest accepted path in cells (nil = no cap).
    public var maxPathCells: Int?
    /// Wall layouts tried per maze before giving up.
    public var maxAttempts: Int
    /// Text written in the `source` column.
    public var source: String

    /// Creates options. The default minimum path scales Maze-Hard's 110 cells at side 30 by the
    /// cell count (at least 2). The default densities, 33–43 %, cover where 30×30 mazes with
    /// 110-cell paths occur (about one accepted layout in 2·10⁴ at 36–38 %, none in 2·10⁵ at 30 %).
    public init(
        side: Int = 30, minWallDensity: Double = 0.33, maxWallDensity: Double = 0.43,
        minPathCells: Int? = nil, maxPathCells: Int? = nil, maxAttempts: Int = 1_000_000,
        source: String = "generated"
    ) {
        self.side = side
        self.minWallDensity = minWallDensity
        self.maxWallDensity = maxWallDensity
        self.minPathCells = minPathCells ?? max(2, 110 * side * side / 900)
        self.maxPathCells = maxPathCells
        self.maxAttempts = maxAttempts
        self.source = source
    }

    /// Throws a clear error for out-of-range options.
    public func validate() throws {
        guard (5...30).contains(side) else { throw DatasetUsageError("maze side must be 5…30, got \(side)") }
        guard 0 <= minWallDensity && minWallDensity <= maxWallDensity && maxWallDensity < 1 else {
            throw DatasetUsageError("wall density range must satisfy 0 ≤ min ≤ max < 1, got \(minWallDensity)…\(maxWallDensity)")
        }
        guard minPathCells >= 2 && minPathCells <= side * side else {
            throw DatasetUsageError("minimum path cells must be 2…\(side * side), got \(minPathCells)")
        }
        if let m = maxPathCells, m < minPathCells { throw DatasetUsageError("maximum path cells \(m) is below the minimum \(minPathCells)") }
    }
}

/// Generates mazes and labels them with the BFS tie-break path.
///
/// Per attempt: walls placed independently with the drawn density; S uniform among open cells;
/// one BFS from S; S is accepted with probability (open cells at the wanted distance) / (open − 1),
/// then G is uniform among those cells — the same distribution as drawing (S, G) uniformly and
/// filtering, at a fraction of the cost.
public enum MazeGenerator {
    /// One maze, or nil after `maxAttempts` wall layouts.
    public static func generateOne(_ options: MazeGeneratorOptions, using rng: inout RandomGenerator) -> MazeRecord? {
        let side = options.side, n = side * side
        var open = [Bool](repeating: true, count: n)
        var openCells = [Int32](repeating: 0, count: n)
        var far = [Int32](repeating: 0, count: n)
        var distance = [Int32](repeating: -1, count: n)
        var queue = [Int32](repeating: 0, count: n)
        let minD = Int32(clamping: options.minPathCells - 1)
        let maxD = Int32(clamping: (options.maxPathCells ?? Int(Int32.max)) - 1)
        var found: (s: Int, g: Int)? = nil
        var state = rng
        open.withUnsafeMutableBufferPointer { o in
            openCells.withUnsafeMutableBufferPointer { oc in
                far.withUnsafeMutableBufferPointer { fr in
                    distance.withUnsafeMutableBufferPointer { dist in
                        queue.withUnsafeMutableBufferPointer { q in
                            for _ in 0..<max(1, options.maxAttempts) {
                                let p = options.minWallDensity + (options.maxWallDensity - options.minWallDensity) * state.uniform()
                                let threshold = UInt64(min(p, 0.999_999) * 0x1p64)
                                var openCount = 0
                                for i in 0..<n {
                                    let isOpen = state.next() >= threshold
                                    o[i] = isOpen
                                    if isOpen { oc[openCount] = Int32(i); openCount += 1 }
                                }
                                guard openCount >= 2 else { continue }
                                let s = Int(oc[Int(state.next() % UInt64(openCount))])
                                let reached = MazeBFS.run(open: UnsafeBufferPointer(o), side: side, start: s, distance: dist, parent: nil, queue: q)
                                var farCount = 0
                                for k in 0..<reached {
                                    let c = Int(q[k])
                                    let d = dist[c]
                                    if d >= minD && d <= maxD && d > 0 { fr[farCount] = Int32(c); farCount += 1 }
                                    dist[c] = -1
                                }
                                guard farCount > 0 else { continue }
                                if state.uniform() * Double(openCount - 1) >= Double(farCount) { continue }
                                found = (s, Int(fr[Int(state.next() % UInt64(farCount))]))
                                return
                            }
                        }
                    }
                }
            }
        }
        rng = state
        guard let (s, g) = found else { return nil }
        var question = [UInt8](repeating: MazeRecord.open, count: n)
        for i in 0..<n where !open[i] { question[i] = MazeRecord.wall }
        question[s] = MazeRecord.start
        question[g] = MazeRecord.goal
        guard let (answer, cells) = MazeRecord.solve(question, side: side) else { return nil }
        return MazeRecord(source: options.source, question: question, answer: answer, rating: cells)
    }

    /// `count` mazes, deterministic for `seed` whatever the number of threads (chunk k of
    /// `chunkSize` mazes uses the generator derived from (seed, k); chunks run in parallel).
    public static func generate(
        count: Int, options: MazeGeneratorOptions, seed: UInt64, chunkSize: Int = 8,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> [MazeRecord] {
        try options.validate()
        let chunks = (count + chunkSize - 1) / chunkSize
        let results = ParallelResults<[MazeRecord]?>(count: chunks)
        let counter = ProgressCounter()
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            var rng = RandomGenerator.derived(seed: seed, stream: UInt64(k))
            let m = min(chunkSize, count - k * chunkSize)
            var out: [MazeRecord] = []
            for _ in 0..<m {
                guard let r = generateOne(options, using: &rng) else { results.set(k, nil); return }
                out.append(r)
            }
            results.set(k, out)
            counter.add(m, report: progress)
        }
        var all: [MazeRecord] = []
        for k in 0..<chunks {
            guard let chunk = results.get(k) ?? nil else {
                throw DatasetUsageError(
                    "could not generate a \(options.side)x\(options.side) maze with a path of ≥ \(options.minPathCells) cells in \(options.maxAttempts) attempts; lower --min-path or change the wall density"
                )
            }
            all += chunk
        }
        return all
    }
}

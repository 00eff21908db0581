import Dispatch
import TRMCore

/// What kind of Sudoku puzzles to generate.
public struct SudokuGeneratorOptions: Codable, Sendable, Equatable {
    /// Grid geometry (4×4, 6×6 or 9×9).
    public var shape: SudokuShape
    /// Fewest blanks a puzzle may have.
    public var minBlanks: Int
    /// Most blanks a puzzle may have (clue removal stops there).
    public var maxBlanks: Int
    /// Smallest accepted rating (guesses of `SudokuSolver` with solution limit 1).
    public var minRating: Int
    /// Full grids tried per puzzle before giving up.
    public var maxAttempts: Int
    /// Text written in the `source` column.
    public var source: String
    /// Local-search steps spent making a puzzle below `minRating` harder before drawing a new grid.
    public var searchSteps: Int

    /// Creates options; the defaults make minimal 9×9 puzzles of any rating.
    public init(
        shape: SudokuShape = .nine, minBlanks: Int = 0, maxBlanks: Int? = nil, minRating: Int = 0,
        maxAttempts: Int = 10_000, source: String = "generated", searchSteps: Int = 50
    ) {
        self.searchSteps = searchSteps
        self.shape = shape
        self.minBlanks = minBlanks
        self.maxBlanks = maxBlanks ?? shape.cells
        self.minRating = minRating
        self.maxAttempts = maxAttempts
        self.source = source
    }
}

/// Generates unique-solution Sudoku puzzles without the originals.
///
/// Each puzzle: a blank-count target drawn uniformly from `minBlanks…maxBlanks` (so a range like
/// 6–10 gives puzzles of every size in it, not just the hardest), a random full grid (shuffled
/// search), then givens removed one at a time in random order, each removal kept only if the
/// puzzle still has exactly one solution, until no more can go or the target is reached. A puzzle below `minRating` is then made harder by a local search (as
/// tdoku's generator does): drop two givens, complete the puzzle at random, add givens of that
/// solution until it is unique again, minimise, and keep the result if it is not easier; after
/// `searchSteps` steps without reaching the target, or if the blank range is missed, a new grid is
/// drawn.
public enum SudokuGenerator {
    /// One puzzle, or nil after `maxAttempts` failed grids.
    public static func generateOne(_ options: SudokuGeneratorOptions, using rng: inout RandomGenerator) -> SudokuRecord? {
        let shape = options.shape
        let solver = SudokuSolver(shape: shape)
        let empty = [UInt8](repeating: 0, count: shape.cells)
        for _ in 0..<max(1, options.maxAttempts) {
            let target = options.minBlanks + Int(rng.next() % UInt64(max(1, options.maxBlanks - options.minBlanks + 1)))
            guard let full = solver.randomSolution(empty, using: &rng) else { continue }
            var puzzle = full
            var blanks = minimize(&puzzle, solution: full, maxBlanks: target, solver: solver, using: &rng)
            var answer = full
            var rating = solver.solve(puzzle, limit: 1).guesses
            var steps = 0
            while rating < options.minRating && steps < options.searchSteps && blanks >= options.minBlanks {
                steps += 1
                var candidate = puzzle
                var givens = (0..<shape.cells).filter { candidate[$0] != 0 }
                givens.shuffle(using: &rng)
                for cell in givens.prefix(2) { candidate[cell] = 0 }
                guard let solution = solver.randomSolution(candidate, using: &rng) else { continue }
                constrain(&candidate, solution: solution, solver: solver, using: &rng)
                let b = minimize(&candidate, solution: solution, maxBlanks: target, solver: solver, using: &rng)
                guard b >= options.minBlanks else { continue }
                let r = solver.solve(candidate, limit: 1).guesses
                if r >= rating {
                    puzzle = candidate; answer = solution; rating = r; blanks = b
                }
            }
            guard blanks >= options.minBlanks, rating >= options.minRating else { continue }
            return SudokuRecord(source: options.source, question: puzzle, answer: answer, rating: rating)
        }
        return nil
    }

    /// Removes givens in random order, keeping each removal only if the puzzle stays uniquely
    /// solvable, until none can go or `maxBlanks` is reached; returns the blank count.
    static func minimize(
        _ puzzle: inout [UInt8], solution: [UInt8], maxBlanks: Int, solver: SudokuSolver,
        using rng: inout RandomGenerator
    ) -> Int {
        var blanks = puzzle.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        var order = (0..<puzzle.count).filter { puzzle[$0] != 0 }
        order.shuffle(using: &rng)
        for cell in order {
            if blanks >= maxBlanks { break }
            puzzle[cell] = 0
            if solver.countSolutions(puzzle, limit: 2) == 1 {
                blanks += 1
            } else {
                puzzle[cell] = solution[cell]
            }
        }
        return blanks
    }

    /// Adds givens of `solution` at random blank cells until the puzzle has exactly one solution.
    static func constrain(_ puzzle: inout [UInt8], solution: [UInt8], solver: SudokuSolver, using rng: inout RandomGenerator) {
        var order = (0..<puzzle.count).filter { puzzle[$0] == 0 }
        order.shuffle(using: &rng)
        var next = 0
        while solver.countSolutions(puzzle, limit: 2) != 1 && next < order.count {
            puzzle[order[next]] = solution[order[next]]
            next += 1
        }
    }

    /// `count` puzzles, deterministic for `seed` whatever the number of threads: work is cut into
    /// chunks of `chunkSize` puzzles, chunk k using the generator derived from (seed, k), and the
    /// chunks run in parallel. Throws if a puzzle cannot be made within `maxAttempts` grids.
    public static func generate(
        count: Int, options: SudokuGeneratorOptions, seed: UInt64,
        chunkSize: Int = 16, progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> [SudokuRecord] {
        let chunks = (count + chunkSize - 1) / chunkSize
        let results = ParallelResults<[SudokuRecord]?>(count: chunks)
        let counter = ProgressCounter()
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            var rng = RandomGenerator.derived(seed: seed, stream: UInt64(k))
            let n = min(chunkSize, count - k * chunkSize)
            var out: [SudokuRecord] = []
            out.reserveCapacity(n)
            for _ in 0..<n {
                guard let r = generateOne(options, using: &rng) else { results.set(k, nil); return }
                out.append(r)
            }
            results.set(k, out)
            counter.add(n, report: progress)
        }
        var all: [SudokuRecord] = []
        all.reserveCapacity(count)
        for k in 0..<chunks {
            guard let chunk = results.get(k) ?? nil else {
                throw DatasetUsageError(
                    "could not generate a \(options.shape) puzzle with \(options.minBlanks)–\(options.maxBlanks) blanks and rating ≥ \(options.minRating) in \(options.maxAttempts) attempts; relax the difficulty target"
                )
            }
            all += chunk
        }
        return all
    }
}

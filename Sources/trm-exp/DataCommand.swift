import ArgumentParser
import Foundation
import TRMCore
import TRMData
import TRMExperiment

/// `trm-exp data …`: make, build, inspect and convert puzzle datasets.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Generate, build, inspect, import and export puzzle datasets (Sudoku, Maze, ARC).",
        subcommands: [DataGenerate.self, DataBuild.self, DataShow.self, DataExport.self, DataImport.self]
    )
}

enum PuzzleKind: String, ExpressibleByArgument, CaseIterable {
    case sudoku, maze, arc
}

/// Generator options shared by `generate` and `build --source generate`. Optional, so that
/// `build --config` can tell which were given and refuse them.
struct GeneratorOptions: ParsableArguments {
    @Option(help: "Sudoku side: 4 (2x2 boxes), 6 (2x3 boxes) or 9 (default 9).")
    var size: Int?
    @Option(help: "Sudoku: fewest blank cells per puzzle (default 0).")
    var minBlanks: Int?
    @Option(help: "Sudoku: most blank cells per puzzle (default: as many as uniqueness allows).")
    var maxBlanks: Int?
    @Option(help: "Sudoku: smallest accepted rating (guess count of our solver; default 0).")
    var minRating: Int?
    @Option(help: "Sudoku: local-search steps that try to make a puzzle below --min-rating harder before a new grid is drawn (default 50).")
    var searchSteps: Int?
    @Option(help: "Maze: grid side, 5 to 30 (default 30).")
    var side: Int?
    @Option(help: "Maze: lowest wall probability (each maze draws one uniformly from the range; default 0.33).")
    var minWallDensity: Double?
    @Option(help: "Maze: highest wall probability (default 0.43).")
    var maxWallDensity: Double?
    @Option(help: "Maze: shortest accepted path in cells including S and G (default 110 at side 30, scaled by area).")
    var minPath: Int?
    @Option(help: "Maze: longest accepted path in cells including S and G.")
    var maxPath: Int?

    /// The options given on the command line, by flag name.
    var given: [String] {
        let values: [(String, Any?)] = [
            ("--size", size), ("--min-blanks", minBlanks), ("--max-blanks", maxBlanks), ("--min-rating", minRating),
            ("--search-steps", searchSteps), ("--side", side), ("--min-wall-density", minWallDensity),
            ("--max-wall-density", maxWallDensity), ("--min-path", minPath), ("--max-path", maxPath),
        ]
        return values.compactMap { $0.1 == nil ? nil : $0.0 }
    }

    func sudoku() throws -> SudokuGeneratorOptions {
        let size = size ?? 9, minBlanks = minBlanks ?? 0, minRating = minRating ?? 0, searchSteps = searchSteps ?? 50
        guard let shape = SudokuShape.forSide(size) else {
            throw ValidationError("--size must be 4, 6 or 9 (got \(size))")
        }
        guard searchSteps >= 0 else { throw ValidationError("--search-steps must not be negative") }
        if let maxBlanks, maxBlanks < minBlanks { throw ValidationError("--max-blanks must be at least --min-blanks") }
        return SudokuGeneratorOptions(shape: shape, minBlanks: minBlanks, maxBlanks: maxBlanks, minRating: minRating, searchSteps: searchSteps)
    }

    func maze() throws -> MazeGeneratorOptions {
        let side = side ?? 30, minWallDensity = minWallDensity ?? 0.33, maxWallDensity = maxWallDensity ?? 0.43
        guard (5...30).contains(side) else { throw ValidationError("--side must be 5 to 30 (got \(side))") }
        guard 0 <= minWallDensity && minWallDensity <= maxWallDensity && maxWallDensity < 1 else {
            throw ValidationError("wall densities must satisfy 0 <= --min-wall-density <= --max-wall-density < 1")
        }
        let o = MazeGeneratorOptions(
            side: side, minWallDensity: minWallDensity, maxWallDensity: maxWallDensity,
            minPathCells: minPath, maxPathCells: maxPath)
        do { try o.validate() } catch { throw ValidationError("\(error)") }
        return o
    }
}

func generateRecords(kind: PuzzleKind, count: Int, seed: UInt64, options: GeneratorOptions) throws -> (sudoku: [SudokuRecord], maze: [MazeRecord]) {
    let display = DatasetProgressDisplay()
    defer { display.finish() }
    let report: @Sendable (Int) -> Void = { done in display.update(GenerationProgress(split: kind.rawValue, done: done, total: count)) }
    switch kind {
    case .sudoku:
        return (try SudokuGenerator.generate(count: count, options: try options.sudoku(), seed: seed, progress: report), [])
    case .maze:
        return ([], try MazeGenerator.generate(count: count, options: try options.maze(), seed: seed, progress: report))
    case .arc:
        throw ValidationError("ARC tasks cannot be generated; use --kind sudoku or --kind maze")
    }
}

struct DataGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate Sudoku puzzles or mazes and write them in the published CSV format.")

    @Option(help: "What to generate: sudoku or maze.")
    var kind: PuzzleKind
    @Option(help: "Number of puzzles.")
    var count: Int = 1000
    @Option(help: "Seed; the same seed gives the same file on any machine and thread count.")
    var seed: UInt64 = 0
    @Option(help: "Output CSV file (source,question,answer,rating).")
    var out: String
    @OptionGroup var generator: GeneratorOptions

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be positive") }
        switch kind {
        case .sudoku: _ = try generator.sudoku()
        case .maze: _ = try generator.maze()
        case .arc: throw ValidationError("ARC tasks cannot be generated; use --kind sudoku or --kind maze")
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: out)
        let start = Date()
        let (s, m) = try generateRecords(kind: kind, count: count, seed: seed, options: generator)
        if kind == .sudoku { try SudokuCSV.write(s, to: url) } else { try MazeCSV.write(m, to: url) }
        print("wrote \(count) \(kind.rawValue) puzzles to \(url.path) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }
}

import Foundation
import TRMCore

extension TRMData {
    /// Dataset throughput numbers as (name, value, unit): solver puzzles/s on the Sudoku sample,
    /// generator puzzles/s at a stated difficulty, CSV ingest rows/s, maze generation mazes/s.
    /// Reads the shared samples from `TRM_DATASETS_DIR` (or `../shared/datasets` from the working
    /// directory); items whose sample is missing are left out.
    public static func runDatasetBenchmarks() -> [(String, Double, String)] {
        var results: [(String, Double, String)] = []
        let env = ProcessInfo.processInfo.environment["TRM_DATASETS_DIR"]
        let dir = URL(fileURLWithPath: env ?? FileManager.default.currentDirectoryPath + "/../shared/datasets")
        func time(_ body: () throws -> Int) rethrows -> Double {
            let start = Date()
            let n = try body()
            return Double(n) / max(Date().timeIntervalSince(start), 1e-9)
        }
        let sudokuURL = dir.appendingPathComponent("sudoku-extreme-sample.csv")
        if let (records, _) = try? SudokuCSV.load(sudokuURL) {
            let solver = SudokuSolver()
            let rate = time {
                var n = 0
                while n < 2000 { for r in records { _ = solver.solve(r.question, limit: 2); n += 1 } }
                return n
            }
            results.append(("sudoku solve (unique check, Sudoku-Extreme sample)", rate, "puzzles/s"))
            if let rows = try? time({
                var n = 0
                for _ in 0..<200 { n += try SudokuCSV.read(sudokuURL) { _ in }.itemsAccepted }
                return n
            }) {
                results.append(("sudoku CSV ingest + verify", rows, "rows/s"))
            }
        }
        let mazeURL = dir.appendingPathComponent("maze-hard-sample.csv")
        if FileManager.default.fileExists(atPath: mazeURL.path),
            let rows = try? time({
                var n = 0
                for _ in 0..<50 { n += try MazeCSV.read(mazeURL, requireTieBreak: true) { _ in }.itemsAccepted }
                return n
            })
        {
            results.append(("maze CSV ingest + verify (30x30)", rows, "rows/s"))
        }
        let arcDir = dir.appendingPathComponent("arc")
        if FileManager.default.fileExists(atPath: arcDir.appendingPathComponent("arc-agi_evaluation2_challenges.json").path),
            let rate = try? time({
                try ARCDatasetBuilder.build(
                    directory: arcDir, subsets: ["evaluation2"],
                    options: ARCBuildOptions(testSetNames: ["evaluation2"], numAug: 20)
                ).train.exampleCount
            })
        {
            results.append(("ARC build (evaluation2, 20 copies per task, incl. loading)", rate, "train examples/s"))
        }
        let easy = SudokuGeneratorOptions(shape: .nine)
        if let rate = try? time({ try SudokuGenerator.generate(count: 500, options: easy, seed: 1).count }) {
            results.append(("sudoku generate 9x9 minimal, any rating", rate, "puzzles/s"))
        }
        let hard = SudokuGeneratorOptions(shape: .nine, minBlanks: 56, minRating: 20)
        if let rate = try? time({ try SudokuGenerator.generate(count: 40, options: hard, seed: 1).count }) {
            results.append(("sudoku generate 9x9, >= 56 blanks, rating >= 20", rate, "puzzles/s"))
        }
        if let rate = try? time({ try MazeGenerator.generate(count: 16, options: MazeGeneratorOptions(side: 30), seed: 1).count }) {
            results.append(("maze generate 30x30, path >= 110 cells", rate, "mazes/s"))
        }
        return results
    }
}

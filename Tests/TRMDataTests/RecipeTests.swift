import Foundation
import Testing

@testable import TRMData

@Suite struct RecipeTests {
    @Test func recipesBuildEveryKindAndRoundTripAsJSON() throws {
        let dir = TestData.directory.path
        let recipes = [
            DatasetRecipe(
                kind: .sudoku, source: .csv(train: dir + "/sudoku-extreme-sample.csv", test: dir + "/sudoku-extreme-sample.csv"),
                seed: 1, sudoku: SudokuBuildOptions(subsampleSize: 10, numAug: 2)),
            DatasetRecipe(
                kind: .maze, source: .csv(train: dir + "/maze-hard-sample.csv", test: dir + "/maze-hard-sample.csv"),
                maze: MazeBuildOptions(augment: true, relabelAfterTransform: true)),
            DatasetRecipe(
                kind: .sudoku, source: .generate(trainCount: 12, testCount: 3), seed: 5,
                sudokuGenerator: SudokuGeneratorOptions(shape: .six)),
            DatasetRecipe(
                kind: .maze, source: .generate(trainCount: 6, testCount: 2), seed: 5,
                mazeGenerator: MazeGeneratorOptions(side: 9)),
            DatasetRecipe(
                kind: .arc, source: .arcCombined(directory: dir + "/arc", prefix: "arc-agi", subsets: ["evaluation2"]),
                arc: ARCBuildOptions(testSetNames: ["evaluation2"], numAug: 1)),
        ]
        let expected: [(train: Int, test: Int, seqLen: Int)] = [(30, 32, 81), (192, 24, 900), (12, 3, 36), (6, 2, 81), (716, 344, 900)]
        for (recipe, want) in zip(recipes, expected) {
            let json = try JSONEncoder().encode(recipe)
            #expect(try JSONDecoder().decode(DatasetRecipe.self, from: json) == recipe)
            let ds = try recipe.build().dataset
            #expect(ds.train.exampleCount == want.train)
            #expect(ds.test.exampleCount == want.test)
            #expect(ds.train.metadata.seqLen == want.seqLen)
            try ds.train.validate()
        }
        // Relabelled dihedral copies carry the tie-break path.
        let maze = try recipes[1].build().dataset
        for e in 0..<maze.train.exampleCount {
            let q = MazeDatasetBuilder.characters(maze.train.input(e)), a = MazeDatasetBuilder.characters(maze.train.label(e))
            #expect(throws: Never.self) { try MazeRecord.verify(question: q, answer: a, side: 30, requireTieBreak: true) }
        }
        // Same recipe, same data; the cache is hit the second time.
        let cache = DatasetCache(root: TestData.temporaryDirectory())
        let first = try recipes[2].build(cache: cache)
        let second = try recipes[2].build(cache: cache)
        #expect(first.outcome == .built && second.outcome == .hit)
        #expect(first.folder == second.folder && FileManager.default.fileExists(atPath: first.folder.path))
        #expect(first.dataset == second.dataset)
        // A folder built here can itself be a source.
        let out = TestData.temporaryDirectory().appendingPathComponent("ds")
        try ReferenceFormat.write(first.dataset, to: out)
        #expect(try DatasetRecipe(kind: .sudoku, source: .referenceFolder(out.path)).build().dataset == first.dataset)
    }

    @Test func badRecipesSayWhatToChange() {
        #expect(throws: DatasetUsageError.self) { try DatasetRecipe(kind: .arc, source: .generate(trainCount: 1, testCount: 1)).build() }
        #expect(throws: DatasetUsageError.self) { try DatasetRecipe(kind: .maze, source: .generate(trainCount: 0, testCount: 1)).build() }
        #expect(throws: DatasetUsageError.self) { try DatasetRecipe(kind: .arc, source: .arcFolders(["/nonexistent/folder"])).build() }
        #expect(throws: DatasetUsageError.self) {
            try DatasetRecipe(kind: .sudoku, source: .csv(train: "/nonexistent.csv", test: "/nonexistent.csv")).build()
        }
    }

    @Test func generationProgressCountsEachSplitUpToItsTotal() throws {
        final class Seen: @unchecked Sendable {
            let lock = NSLock()
            var list: [GenerationProgress] = []
            func add(_ p: GenerationProgress) { lock.withLock { list.append(p) } }
        }
        let seen = Seen()
        // 4×4 Sudoku: few distinct puzzles, so test draws repeat training puzzles and are redrawn.
        let recipe = DatasetRecipe(
            kind: .sudoku, source: .generate(trainCount: 150, testCount: 40), seed: 3,
            sudokuGenerator: SudokuGeneratorOptions(shape: SudokuShape.forSide(4)!, minBlanks: 6))
        _ = try recipe.build(generationProgress: seen.add)
        let train = seen.list.filter { $0.split == "train" }, test = seen.list.filter { $0.split == "test" }
        #expect(train.allSatisfy { $0.total == 150 && $0.done <= 150 } && train.last?.done == 150)
        // Reports from the parallel workers arrive in order: a bar never goes back.
        #expect(zip(train, train.dropFirst()).allSatisfy { $0.done < $1.done })
        #expect(zip(test, test.dropFirst()).allSatisfy { $0.done <= $1.done })
        #expect(test.allSatisfy { $0.total == 40 } && !test.isEmpty)
        // The test split is complete once, at the end, whatever the number of draws.
        #expect(test.last?.done == 40 && test.filter { $0.done >= 40 }.count == 1)
        #expect(seen.list.firstIndex { $0.split == "test" }! > seen.list.lastIndex { $0.split == "train" }!)
    }
}

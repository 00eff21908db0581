import Foundation
import TRMCore
import Testing

@testable import TRMData

@Suite struct OnlineAugmentationTests {
    @Test func sudokuRowsStayValidPuzzlesAndDifferFromDrawToDraw() throws {
        let records = try SudokuGenerator.generate(
            count: 4, options: SudokuGeneratorOptions(shape: .six, minBlanks: 18, maxBlanks: 22), seed: 7)
        var rng = RandomGenerator(seed: 1)
        let split = SudokuDatasetBuilder.encode(records, numAug: 0, using: &rng)
        var sampler = BatchSampler(split: split, batchSize: 4, seed: 9, augmentation: .sudoku(.six, permuteDigits: true))
        var views = Set<[Int32]>()
        for _ in 0..<8 {
            let drawn = sampler.next()
            let batch = try #require(drawn)
            for r in 0..<4 {
                let input = batch.inputs[r * 36..<(r + 1) * 36].map { UInt8($0 - 1) }
                let label = batch.labels[r * 36..<(r + 1) * 36].map { UInt8($0 - 1) }
                #expect(SudokuShape.six.violation(inSolution: label) == nil)
                #expect(zip(input, label).allSatisfy { $0 == 0 || $0 == $1 })  // givens kept
                #expect(SudokuSolver(shape: .six).countSolutions(input) == 1)  // still unique
                #expect(records.contains { $0.question.filter { $0 == 0 }.count == input.filter { $0 == 0 }.count })
                views.insert(Array(batch.inputs[r * 36..<(r + 1) * 36]))
            }
        }
        // 32 rows drawn from 4 puzzles: a fresh symmetry each time, so (almost) every view is new.
        #expect(views.count > 24)
    }

    @Test func digitsStayPutWhenPermutationIsOff() throws {
        let records = try SudokuGenerator.generate(count: 2, options: SudokuGeneratorOptions(shape: .four, minBlanks: 6, maxBlanks: 8), seed: 3)
        var rng = RandomGenerator(seed: 1)
        let split = SudokuDatasetBuilder.encode(records, numAug: 0, using: &rng)
        var sampler = BatchSampler(split: split, batchSize: 2, seed: 1, augmentation: .sudoku(.four, permuteDigits: false))
        for _ in 0..<10 {
            let drawn = sampler.next()
            let batch = try #require(drawn)
            // Rows and columns move, digits do not: how often each digit is given matches a stored puzzle digit for digit.
            func givenCounts(_ grid: [UInt8]) -> [Int] { (1...4).map { d in grid.filter { $0 == d }.count } }
            let question = batch.inputs[0..<16].map { UInt8($0 - 1) }
            #expect(records.contains { givenCounts($0.question) == givenCounts(question) })
        }
    }

    @Test func mazeRowsAreDihedralViewsLabelledByTheTieBreak() throws {
        let mazes = try MazeGenerator.generate(count: 6, options: MazeGeneratorOptions(side: 8, minPathCells: 9), seed: 5)
        let split = MazeDatasetBuilder.encode(mazes, augment: false, relabel: false)
        var sampler = BatchSampler(split: split, batchSize: 6, seed: 2, augmentation: .maze(side: 8))
        var transformed = 0
        for _ in 0..<6 {
            let drawn = sampler.next()
            let batch = try #require(drawn)
            for r in 0..<6 {
                let question = MazeDatasetBuilder.characters(batch.inputs[r * 64..<(r + 1) * 64].map { UInt8($0) }[...])
                let answer = MazeDatasetBuilder.characters(batch.labels[r * 64..<(r + 1) * 64].map { UInt8($0) }[...])
                let solved = try #require(MazeRecord.solve(question, side: 8))
                #expect(answer == solved.answer)
                let t = try #require(
                    (0..<8).first { t in mazes.contains { Dihedral.apply(t, $0.question, rows: 8, columns: 8) == question } })
                if t != 0 { transformed += 1 }
            }
        }
        #expect(transformed > 18)  // 36 rows, 7 in 8 expected transformed
    }

    @Test func augmentedSamplerResumesWithTheSameDraws() throws {
        let records = try SudokuGenerator.generate(count: 10, options: SudokuGeneratorOptions(shape: .four), seed: 11)
        var rng = RandomGenerator(seed: 1)
        let split = SudokuDatasetBuilder.encode(records, numAug: 0, using: &rng)
        let augmentation = OnlineAugmentation.sudoku(.four, permuteDigits: true)
        var a = BatchSampler(split: split, batchSize: 3, seed: 4, augmentation: augmentation)
        for _ in 0..<5 { _ = a.next() }
        let saved = try JSONEncoder().encode(a.state)
        let expected = (0..<6).compactMap { _ in a.next() }
        var b = BatchSampler(
            split: split, batchSize: 3, seed: 4, state: try JSONDecoder().decode(BatchSamplerState.self, from: saved), augmentation: augmentation)
        #expect((0..<6).compactMap { _ in b.next() } == expected)
        var plain = BatchSampler(split: split, batchSize: 3, seed: 4)
        var augmented = BatchSampler(split: split, batchSize: 3, seed: 4, augmentation: augmentation)
        #expect(plain.next() != augmented.next())
    }
}

import Foundation
import TRMCore
import Testing

@testable import TRMData

/// The augmentation switches of the stored-copy builders change the built data as they say, and
/// leave cache keys of the reference recipe (every switch on) as they were.
@Suite struct AugmentationSwitchTests {
    /// Six ARC tasks, all pairs routed to training.
    func arc(_ options: ARCBuildOptions) throws -> PuzzleDataset {
        let tasks = Array(try ARCLoader.loadSubset(directory: TestData.arcDirectory, name: "evaluation2").prefix(6))
        var options = options
        options.testSetNames = []
        return ARCDatasetBuilder.build(subsets: [("evaluation2", tasks)], options: options)
    }

    /// For every training puzzle: its augmentation (from its name) and its examples with the
    /// source pairs they were made from.
    func puzzles(_ ds: PuzzleDataset) throws -> [(augmentation: ARCAugmentation, examples: [(example: Int, pair: ARCPair)])] {
        let tasks = Dictionary(
            uniqueKeysWithValues: try ARCLoader.loadSubset(directory: TestData.arcDirectory, name: "evaluation2").map { ($0.id, $0) })
        return try (0..<ds.train.puzzleCount).map { p in
            let (id, augmentation) = try #require(ARCAugmentation.parse(puzzleName: ds.identifiers[Int(ds.train.puzzleIdentifiers[p])]))
            let task = try #require(tasks[id])
            let first = Int(ds.train.puzzleIndices[p])
            return (augmentation, (task.train + task.test).enumerated().map { (first + $0.offset, $0.element) })
        }
    }

    @Test func arcTranslateOffKeepsEveryGridAtTheTopLeft() throws {
        let off = try arc(ARCBuildOptions(numAug: 2, seed: 3, translate: false))
        for (augmentation, examples) in try puzzles(off) {
            for (example, pair) in examples {
                #expect(Array(off.train.input(example)) == ARCEncoding.encode(augmentation.apply(pair.input)))
                if let output = pair.output { #expect(Array(off.train.label(example)) == ARCEncoding.encode(augmentation.apply(output))) }
            }
        }
        // On (the reference), grids move: some first cell is padding or EOS instead of a colour.
        let on = try arc(ARCBuildOptions(numAug: 2, seed: 3))
        #expect((0..<on.train.exampleCount).contains { on.train.input($0).first! < 2 })
        #expect(on.train.exampleCount == off.train.exampleCount)
    }

    @Test func arcPermuteAndDihedralSwitches() throws {
        let noColours = try puzzles(try arc(ARCBuildOptions(numAug: 4, seed: 3, permuteColours: false))).map(\.augmentation)
        #expect(noColours.allSatisfy { $0.colourMap == ARCAugmentation.identity.colourMap })
        #expect(noColours.contains { $0.dihedral != 0 })
        let noTurns = try puzzles(try arc(ARCBuildOptions(numAug: 4, seed: 3, dihedral: false))).map(\.augmentation)
        #expect(noTurns.allSatisfy { $0.dihedral == 0 })
        #expect(noTurns.contains { $0.colourMap != ARCAugmentation.identity.colourMap })
        // With both off every draw repeats the original and is rejected: one puzzle per task.
        let none = try arc(ARCBuildOptions(numAug: 4, seed: 3, dihedral: false, permuteColours: false))
        #expect(none.train.puzzleCount == 6)
    }

    @Test func sudokuCopiesKeepDigitsOrLayoutWhenAsked() throws {
        let records = Array(try SudokuCSV.load(TestData.sudokuSample).records.prefix(5))
        /// Per group: the original's question and its copies' questions.
        func groups(_ options: SudokuBuildOptions) -> [(original: [UInt8], copies: [[UInt8]])] {
            let split = SudokuDatasetBuilder.build(train: records, test: [], options: options).train
            return (0..<split.groupCount).map { g in
                let questions = (g * 5..<(g + 1) * 5).map { Array(split.input($0)) }
                return (questions[0], Array(questions.dropFirst()))
            }
        }
        /// How often each digit is given (token 1 is blank).
        func counts(_ q: [UInt8]) -> [Int] { (2...10).map { d in q.filter { $0 == d }.count } }
        func blanks(_ q: [UInt8]) -> [Bool] { q.map { $0 == 1 } }

        let digitsKept = groups(SudokuBuildOptions(numAug: 4, seed: 2, permuteDigits: false))
        #expect(digitsKept.allSatisfy { g in g.copies.allSatisfy { counts($0) == counts(g.original) } })
        #expect(digitsKept.contains { g in g.copies.contains { blanks($0) != blanks(g.original) } })
        let layoutKept = groups(SudokuBuildOptions(numAug: 4, seed: 2, shuffleGrid: false))
        #expect(layoutKept.allSatisfy { g in g.copies.allSatisfy { blanks($0) == blanks(g.original) } })
        #expect(layoutKept.contains { g in g.copies.contains { counts($0) != counts(g.original) } })
        // Both on (the reference) changes both.
        let both = groups(SudokuBuildOptions(numAug: 4, seed: 2))
        #expect(both.contains { g in g.copies.contains { counts($0) != counts(g.original) } })
        #expect(both.contains { g in g.copies.contains { blanks($0) != blanks(g.original) } })
    }

    @Test func switchesOnEncodeAsBeforeTheyExisted() throws {
        let arc = String(decoding: try JSONEncoder().encode(ARCBuildOptions()), as: UTF8.self)
        #expect(!arc.contains("translate") && !arc.contains("dihedral") && !arc.contains("permute"))
        let sudoku = String(decoding: try JSONEncoder().encode(SudokuBuildOptions(numAug: 3)), as: UTF8.self)
        #expect(!sudoku.contains("permute") && !sudoku.contains("shuffle"))
        let off = ARCBuildOptions(dihedral: false, permuteColours: false, translate: false)
        #expect(try JSONDecoder().decode(ARCBuildOptions.self, from: JSONEncoder().encode(off)) == off)
        #expect(try JSONDecoder().decode(ARCBuildOptions.self, from: Data(arc.utf8)) == ARCBuildOptions())
        let digits = SudokuBuildOptions(numAug: 1, permuteDigits: false)
        #expect(try JSONDecoder().decode(SudokuBuildOptions.self, from: JSONEncoder().encode(digits)) == digits)
        #expect(try JSONEncoder().encode(off) != JSONEncoder().encode(ARCBuildOptions()))
    }
}

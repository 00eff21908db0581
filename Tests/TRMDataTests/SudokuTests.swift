import Foundation
import TRMCore
import Testing

@testable import TRMData

@Suite struct SudokuTests {
    @Test func sampleRowsIngestAndAnswersAreTheUniqueSolutions() throws {
        let (records, report) = try SudokuCSV.load(TestData.sudokuSample, checkUnique: true)
        #expect(records.count == 32)
        #expect(report.itemsSkipped == 0)
        #expect(records[0].source == "puzzles4_forum_hardest_1905")
        #expect(records[0].rating == 18)
        #expect(records[1].source.isEmpty)
        let solver = SudokuSolver(shape: .nine)
        for r in records {
            let result = solver.solve(r.question, limit: 2)
            #expect(result.solutionCount == 1)
            #expect(result.solution == r.answer)
        }
        // Ratings are guess counts: our solver's scale differs from tdoku's, but zero-rated
        // (propagation-only) rows must need few of our guesses, and hard rows need some.
        let guesses = records.map { solver.solve($0.question, limit: 1).guesses }
        #expect(guesses.contains { $0 > 0 })
    }

    @Test func csvRoundTripsThroughFormat() throws {
        let (records, _) = try SudokuCSV.load(TestData.sudokuSample)
        let dir = TestData.temporaryDirectory()
        let url = dir.appendingPathComponent("copy.csv")
        try SudokuCSV.write(records, to: url)
        let (again, _) = try SudokuCSV.load(url)
        #expect(again == records)
        let original = try String(contentsOf: TestData.sudokuSample, encoding: .utf8)
        let written = try String(contentsOf: url, encoding: .utf8)
        let originalRows: [String] = original.split(separator: "\n").dropFirst().map(String.init)
        let writtenRows: [String] = written.split(separator: "\n").dropFirst().map(String.init)
        #expect(originalRows == writtenRows)
    }

    /// Writes `rows` (after a header) to a file and returns the error ingest throws.
    func ingestError(_ rows: [String]) -> DatasetError? {
        let url = TestData.temporaryDirectory().appendingPathComponent("bad.csv")
        try? (SudokuCSV.header + "\n" + rows.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        do {
            _ = try SudokuCSV.load(url)
            return nil
        } catch let e as DatasetError {
            return e
        } catch {
            return nil
        }
    }

    @Test func eachKindOfBadRowHasItsOwnError() throws {
        let (records, _) = try SudokuCSV.load(TestData.sudokuSample)
        let good = SudokuCSV.format(records[0])
        let parts = good.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let q = parts[1], a = parts[2]

        let short = ingestError([good, "x,\(q.dropLast()),\(a),3"])
        #expect(short?.file == "bad.csv")
        #expect(short?.location == "line 3")
        #expect(short?.problem == .wrongLength(field: "question", expected: 81, found: 80))

        let badChar = ingestError(["x,\(q.dropLast())x,\(a),3"])
        #expect(badChar?.problem == .badCharacter(field: "question", character: "x", position: 80))

        // Swap two answer digits in a row: rows still fine, columns broken.
        var chars = Array(a)
        chars.swapAt(0, 9)
        let notSolution = ingestError(["x,\(String(repeating: ".", count: 81)),\(String(chars)),3"])
        if case .answerNotASolution = notSolution?.problem {
        } else {
            Issue.record("expected answerNotASolution, got \(String(describing: notSolution))")
        }

        // A given that disagrees with the answer.
        var qc = Array(q)
        let idx = qc.firstIndex { $0 != "." }!
        qc[idx] = qc[idx] == "1" ? "2" : "1"
        let contradiction = ingestError(["x,\(String(qc)),\(a),3"])
        #expect(contradiction?.problem == .answerContradictsGiven(cell: idx))

        #expect(ingestError(["x,\(q),\(a),-1"])?.problem == .badRating("-1"))
        #expect(ingestError(["x,\(q),\(a)"])?.problem == .wrongFieldCount(expected: 4, found: 3))
    }

    @Test func skipInvalidCountsAndReports() throws {
        let (records, _) = try SudokuCSV.load(TestData.sudokuSample)
        let good = SudokuCSV.format(records[0])
        let url = TestData.temporaryDirectory().appendingPathComponent("mixed.csv")
        try (SudokuCSV.header + "\n" + [good, "bad", good, "x,1,2,3", good].joined(separator: "\n")).write(to: url, atomically: true, encoding: .utf8)
        let calls = ProgressLog()
        let (kept, report) = try SudokuCSV.load(
            url,
            options: IngestOptions(
                skipInvalid: true, maxReportedErrors: 1,
                progress: { calls.append($0.items) }, progressInterval: 2))
        #expect(calls.items == [2, 4, 5])
        #expect(kept.count == 3)
        #expect(report.itemsSkipped == 2)
        #expect(report.firstErrors.count == 1)
        #expect(report.firstErrors.first?.location == "line 3")
    }

    @Test func generatedPuzzlesHaveExactlyOneSolution() throws {
        for shape in [SudokuShape.four, .six, .nine] {
            let options = SudokuGeneratorOptions(shape: shape)
            let puzzles = try SudokuGenerator.generate(count: 6, options: options, seed: 7)
            #expect(puzzles.count == 6)
            let solver = SudokuSolver(shape: shape)
            for p in puzzles {
                #expect(shape.violation(inSolution: p.answer) == nil)
                let result = solver.solve(p.question, limit: 3)
                #expect(result.solutionCount == 1)
                #expect(result.solution == p.answer)
                let rating: Int = solver.solve(p.question, limit: 1).guesses
                #expect(p.rating == rating)
            }
        }
    }

    @Test func generatorIsDeterministicAndMeetsTheTarget() throws {
        let options = SudokuGeneratorOptions(shape: .nine, minBlanks: 50, maxBlanks: 64, minRating: 2)
        let a = try SudokuGenerator.generate(count: 20, options: options, seed: 3, chunkSize: 3)
        let b = try SudokuGenerator.generate(count: 20, options: options, seed: 3, chunkSize: 3)
        #expect(a == b)
        for p in a {
            let blanks = p.question.filter { $0 == 0 }.count
            #expect(blanks >= 50 && blanks <= 64)
            #expect(p.rating >= 2)
            #expect(SudokuSolver().solve(p.question, limit: 1).guesses == p.rating)
        }
        // Without a blank cap the puzzles are minimal: no given can be removed keeping uniqueness.
        let minimal = try SudokuGenerator.generate(count: 3, options: SudokuGeneratorOptions(minRating: 8), seed: 5)
        for p in minimal {
            #expect(p.rating >= 8)
            #expect(SudokuSolver().countSolutions(p.question, limit: 2) == 1)
            for cell in 0..<81 where p.question[cell] != 0 {
                var q = p.question
                q[cell] = 0
                #expect(SudokuSolver().countSolutions(q, limit: 2) == 2)
            }
        }
        let c = try SudokuGenerator.generate(count: 20, options: options, seed: 4, chunkSize: 3)
        #expect(a != c)
        // Written in the published format and read back with verification.
        let url = TestData.temporaryDirectory().appendingPathComponent("gen.csv")
        try SudokuCSV.write(a, to: url)
        #expect(try SudokuCSV.load(url, checkUnique: true).records == a)
    }

    @Test func shuffleKeepsValidityAndInverts() throws {
        let (records, _) = try SudokuCSV.load(TestData.sudokuSample)
        var rng = RandomGenerator(seed: 11)
        var sawTranspose = false
        for r in records {
            let t = SudokuTransform.random(.nine, using: &rng)
            sawTranspose = sawTranspose || t.transpose
            let q = t.apply(r.question), a = t.apply(r.answer)
            #expect(SudokuShape.nine.violation(inSolution: a) == nil)
            #expect(q.filter { $0 == 0 }.count == r.question.filter { $0 == 0 }.count)
            for i in 0..<81 where q[i] != 0 { #expect(q[i] == a[i]) }
            #expect(SudokuSolver().solve(q, limit: 2).solution == a)
            #expect(t.inverse.apply(q) == r.question)
            #expect(t.inverse.apply(a) == r.answer)
            // Bands stay bands.
            for b in 0..<3 {
                let bands: Set<Int> = Set(t.rowOrder[(3 * b)..<(3 * b + 3)].map { $0 / 3 })
                #expect(bands.count == 1)
            }
        }
        #expect(sawTranspose)
        for shape in [SudokuShape.four, .six] {
            let p = try SudokuGenerator.generate(count: 1, options: SudokuGeneratorOptions(shape: shape), seed: 1)[0]
            let t = SudokuTransform.random(shape, using: &rng)
            #expect(shape.violation(inSolution: t.apply(p.answer)) == nil)
            #expect(t.inverse.apply(t.apply(p.question)) == p.question)
        }
    }

    @Test func encodingFollowsTheReference() throws {
        let (records, _) = try SudokuCSV.load(TestData.sudokuSample)
        let ds = SudokuDatasetBuilder.build(
            train: Array(records[0..<10]), test: Array(records[10...]),
            options: SudokuBuildOptions(numAug: 3, seed: 5))
        let train = ds.train
        try train.validate()
        #expect(train.exampleCount == 40)
        #expect(train.puzzleCount == 40)
        #expect(train.groupCount == 10)
        let expectedGroups: [Int32] = [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40]
        #expect(train.groupIndices == expectedGroups)
        #expect(train.metadata.vocabSize == 11)
        #expect(train.metadata.seqLen == 81)
        #expect(train.metadata.totalGroups == 10)
        #expect(train.metadata.totalPuzzles == 10)
        #expect(train.metadata.meanPuzzleExamples == 1)
        #expect(train.metadata.numPuzzleIdentifiers == 1)
        #expect(train.puzzleIdentifiers.allSatisfy { $0 == 0 })
        #expect(Array(train.input(0)) == records[0].question.map { $0 + 1 })
        #expect(Array(train.label(0)) == records[0].answer.map { $0 + 1 })
        #expect(train.labels.allSatisfy { $0 >= 2 && $0 <= 10 })
        #expect(train.inputs.allSatisfy { $0 >= 1 && $0 <= 10 })
        let d4: Int32? = train.difficulty?[4]
        #expect(d4 == Int32(records[1].rating))
        #expect(ds.test.exampleCount == 22)
        #expect(ds.identifiers == ["<blank>"])
        // Filter by difficulty and subsample.
        let filtered = SudokuDatasetBuilder.build(
            train: records, test: records, options: SudokuBuildOptions(subsampleSize: 5, minDifficulty: 10, seed: 1))
        #expect(filtered.train.exampleCount == 5)
        #expect(filtered.test.exampleCount == records.filter { $0.rating >= 10 }.count)
        #expect(filtered.train.difficulty!.allSatisfy { $0 >= 10 })
    }

    @Test func streamingBuildSubsamples() throws {
        let (ds, reports) = try SudokuDatasetBuilder.build(
            trainCSV: TestData.sudokuSample, testCSV: TestData.sudokuSample,
            options: SudokuBuildOptions(subsampleSize: 7, numAug: 1, seed: 2))
        #expect(ds.train.exampleCount == 14)
        #expect(ds.test.exampleCount == 32)
        #expect(reports[0].itemsAccepted == 32)
        // Without subsampling every row is encoded as it streams by, in file order.
        let (records, _) = try SudokuCSV.load(TestData.sudokuSample)
        let (all, _) = try SudokuDatasetBuilder.build(
            trainCSV: TestData.sudokuSample, testCSV: TestData.sudokuSample,
            options: SudokuBuildOptions(minDifficulty: 10, numAug: 2, seed: 2))
        let hard = records.filter { $0.rating >= 10 }
        #expect(all.train.exampleCount == 3 * hard.count)
        #expect(all.train.groupCount == hard.count)
        #expect(Array(all.train.input(3)) == hard[1].question.map { $0 + 1 })
        #expect(Array(all.test.label(0)) == hard[0].answer.map { $0 + 1 })
        try all.train.validate()
    }
}

/// Collects progress calls.
final class ProgressLog: @unchecked Sendable {
    private(set) var items: [Int] = []
    private let lock = NSLock()
    func append(_ n: Int) { lock.lock(); items.append(n); lock.unlock() }
}

/// A deliberately naive counter (first empty cell, every digit, full rule scan) to check the
/// bitmask solver against.
func naiveCount(_ grid: [UInt8], shape: SudokuShape, limit: Int) -> Int {
    let n = shape.side
    var g = grid
    var count = 0
    func ok(_ cell: Int, _ v: UInt8) -> Bool {
        let r = cell / n, c = cell % n
        for k in 0..<n where g[r * n + k] == v || g[k * n + c] == v { return false }
        let r0 = (r / shape.boxRows) * shape.boxRows, c0 = (c / shape.boxColumns) * shape.boxColumns
        for rr in r0..<(r0 + shape.boxRows) { for cc in c0..<(c0 + shape.boxColumns) where g[rr * n + cc] == v { return false } }
        return true
    }
    func go() {
        guard let cell = g.firstIndex(of: 0) else { count += 1; return }
        for v in 1...UInt8(n) where ok(cell, v) {
            g[cell] = v
            go()
            g[cell] = 0
            if count >= limit { return }
        }
    }
    go()
    return count
}

@Suite struct SolverCrossCheckTests {
    @Test func solverCountsAgreeWithANaiveSearch() throws {
        var rng = RandomGenerator(seed: 99)
        let (records, _) = try SudokuCSV.load(TestData.sudokuSample)
        for shape in [SudokuShape.four, .six, .nine] {
            let solver = SudokuSolver(shape: shape)
            for trial in 0..<40 {
                let full: [UInt8]
                if shape == .nine {
                    full = records[trial % records.count].answer
                } else {
                    full = solver.randomSolution([UInt8](repeating: 0, count: shape.cells), using: &rng)!
                }
                var puzzle = full
                let blanks = shape == .nine ? 35 + trial % 15 : shape.cells / 2 + trial % (shape.cells / 3)
                var cells = Array(0..<shape.cells)
                cells.shuffle(using: &rng)
                for c in cells.prefix(blanks) { puzzle[c] = 0 }
                let fast = solver.solve(puzzle, limit: 3)
                #expect(fast.solutionCount == naiveCount(puzzle, shape: shape, limit: 3))
                if let s = fast.solution {
                    #expect(shape.violation(inSolution: s) == nil)
                    for i in 0..<shape.cells where puzzle[i] != 0 { #expect(s[i] == puzzle[i]) }
                }
            }
            // Conflicting givens have no solution.
            var bad = [UInt8](repeating: 0, count: shape.cells)
            bad[0] = 1; bad[1] = 1
            #expect(solver.solve(bad).solutionCount == 0)
        }
    }

    @Test func aQuestionWithSeveralSolutionsIsRejectedWhenUniquenessIsChecked() throws {
        let (records, _) = try SudokuCSV.load(TestData.sudokuSample)
        let answer = SudokuCSV.format(records[0]).split(separator: ",", omittingEmptySubsequences: false)[2]
        // Only the first row given: the answer is valid and agrees with it, but many grids do.
        let question = answer.prefix(9) + String(repeating: ".", count: 72)
        let url = TestData.temporaryDirectory().appendingPathComponent("open.csv")
        try (SudokuCSV.header + "\n" + SudokuCSV.format(records[0]) + "\nx,\(question),\(answer),0\n").write(
            to: url, atomically: true, encoding: .utf8)
        #expect(try SudokuCSV.read(url) { _ in }.itemsAccepted == 2)
        do {
            try SudokuCSV.read(url, checkUnique: true) { _ in }
            Issue.record("a question with several solutions was accepted")
        } catch let error as DatasetError {
            #expect(error.location == "line 3" && error.problem == .notUniquelySolvable(solutions: 2))
            #expect(error.description == "open.csv: line 3: question has more than one solution")
        }
    }
}

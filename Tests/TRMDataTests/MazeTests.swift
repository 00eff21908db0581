import Foundation
import TRMCore
import Testing

@testable import TRMData

@Suite struct MazeTests {
    @Test func sampleMazesIngestAndLabelsAreTheBFSPath() throws {
        let (records, report) = try MazeCSV.load(TestData.mazeSample, requireTieBreak: true)
        #expect(records.count == 24)
        #expect(report.itemsSkipped == 0)
        for r in records {
            #expect(r.side == 30)
            let solved = try #require(MazeRecord.solve(r.question, side: 30))
            #expect(solved.answer == r.answer)
            #expect(solved.pathCells == r.rating)
            #expect(r.rating >= 110)
        }
        // Spaces at the ends survive.
        #expect(records.contains { $0.question.first == UInt8(ascii: " ") || $0.question.last == UInt8(ascii: " ") })
    }

    func ingestError(_ rows: [String], tieBreak: Bool = false) -> DatasetError? {
        let url = TestData.temporaryDirectory().appendingPathComponent("maze.csv")
        try? (MazeCSV.header + "\n" + rows.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        do {
            _ = try MazeCSV.load(url, requireTieBreak: tieBreak)
            return nil
        } catch let e as DatasetError {
            return e
        } catch {
            return nil
        }
    }

    @Test func eachKindOfBadMazeHasItsOwnError() throws {
        let (records, _) = try MazeCSV.load(TestData.mazeSample)
        let r = records[0]
        let good = MazeCSV.format(r)
        func row(_ q: [UInt8], _ a: [UInt8]) -> String {
            MazeCSV.format(MazeRecord(source: "", question: q, answer: a, rating: r.rating))
        }
        let short = ingestError([good, row(Array(r.question.dropLast()), r.answer)])
        #expect(short?.location == "line 3")
        #expect(short?.file == "maze.csv")
        #expect(short?.problem == .wrongLength(field: "question", expected: 900, found: 899))

        var bad = r.question
        let openIndex = bad.firstIndex(of: UInt8(ascii: " "))!
        bad[openIndex] = UInt8(ascii: "x")
        #expect(ingestError([row(bad, r.answer)])?.problem == .badCharacter(field: "question", character: "x", position: openIndex))

        var twoStarts = r.question, twoStartsA = r.answer
        let spare = zip(r.question.indices, zip(r.question, r.answer)).first { $0.1.0 == UInt8(ascii: " ") && $0.1.1 == UInt8(ascii: " ") }!.0
        twoStarts[spare] = UInt8(ascii: "S"); twoStartsA[spare] = UInt8(ascii: "S")
        #expect(ingestError([row(twoStarts, twoStartsA)])?.problem == .startGoalCount(starts: 2, goals: 1))

        // Remove one path mark: too few marks.
        var missing = r.answer
        missing[missing.firstIndex(of: UInt8(ascii: "o"))!] = UInt8(ascii: " ")
        if case .pathNotShortest = ingestError([row(r.question, missing)])?.problem {} else { Issue.record("expected pathNotShortest") }

        // Answer changes a wall.
        var changed = r.answer
        let wallIndex = changed.firstIndex(of: UInt8(ascii: "#"))!
        changed[wallIndex] = UInt8(ascii: " ")
        #expect(ingestError([row(r.question, changed)])?.problem == .answerDiffersFromQuestion(cell: wallIndex))

        // A mirrored maze with its mirrored label: still shortest, but a rotated label is not the tie-break path.
        var rotatedFound = false
        for candidate in records {
            let t = MazeDatasetBuilder.transform(candidate, 1, relabel: false)
            if ingestError([MazeCSV.format(t)], tieBreak: false) == nil,
                ingestError([MazeCSV.format(t)], tieBreak: true)?.problem == .pathNotTieBreak
            {
                rotatedFound = true
                break
            }
        }
        #expect(rotatedFound)

        // Unreachable goal: wall off G.
        var walled = r.question, walledA = r.answer
        let g = r.question.firstIndex(of: UInt8(ascii: "G"))!
        for nb in [g - 30, g + 30, g - 1, g + 1] where nb >= 0 && nb < 900 && abs(nb % 30 - g % 30) <= 1 {
            if walled[nb] != UInt8(ascii: "S") { walled[nb] = UInt8(ascii: "#"); walledA[nb] = UInt8(ascii: "#") }
        }
        for i in 0..<900 where walledA[i] == UInt8(ascii: "o") { walledA[i] = walled[i] }
        #expect(ingestError([row(walled, walledA)])?.problem == .goalUnreachable)
    }

    @Test func dihedralTransformsInvertAndKeepShortestPaths() throws {
        let (records, _) = try MazeCSV.load(TestData.mazeSample)
        let grid = Array(0..<6)
        for t in 0..<8 {
            let (r, c) = Dihedral.shape(t, rows: 2, columns: 3)
            let back = Dihedral.apply(Dihedral.inverse[t], Dihedral.apply(t, grid, rows: 2, columns: 3), rows: r, columns: c)
            #expect(back == grid)
        }
        #expect(Dihedral.apply(1, grid, rows: 2, columns: 3) == [2, 5, 1, 4, 0, 3])  // rot90 ccw
        #expect(Dihedral.apply(6, grid, rows: 2, columns: 3) == [0, 3, 1, 4, 2, 5])
        #expect(Dihedral.apply(7, grid, rows: 2, columns: 3) == [5, 2, 4, 1, 3, 0])
        for r in records.prefix(4) {
            for t in 0..<8 {
                let moved = MazeDatasetBuilder.transform(r, t, relabel: false)
                #expect(try MazeRecord.verify(question: moved.question, answer: moved.answer, side: 30, requireTieBreak: false) == r.rating)
                let relabelled = MazeDatasetBuilder.transform(r, t, relabel: true)
                #expect(try MazeRecord.verify(question: relabelled.question, answer: relabelled.answer, side: 30, requireTieBreak: true) == r.rating)
            }
        }
    }

    @Test func generatedMazesVerifyAndAreDeterministic() throws {
        let options = MazeGeneratorOptions(side: 12)
        let a = try MazeGenerator.generate(count: 10, options: options, seed: 9, chunkSize: 3)
        let b = try MazeGenerator.generate(count: 10, options: options, seed: 9, chunkSize: 3)
        #expect(a == b)
        for m in a {
            #expect(m.rating >= options.minPathCells)
            #expect(try MazeRecord.verify(question: m.question, answer: m.answer, side: 12, requireTieBreak: true) == m.rating)
        }
        let big = try MazeGenerator.generate(count: 2, options: MazeGeneratorOptions(side: 30), seed: 1)
        for m in big { #expect(m.rating >= 110) }
        let url = TestData.temporaryDirectory().appendingPathComponent("gen.csv")
        try MazeCSV.write(big, to: url)
        #expect(try MazeCSV.load(url, requireTieBreak: true).records == big)
        // One file holds one maze size: a 12x12 row after 30x30 rows is rejected.
        try MazeCSV.write(big + a, to: url)
        #expect(throws: DatasetError.self) { try MazeCSV.load(url) }
        #expect(throws: DatasetUsageError.self) { try MazeGenerator.generate(count: 1, options: MazeGeneratorOptions(side: 40), seed: 1) }
    }

    @Test func encodingFollowsTheReference() throws {
        let (records, _) = try MazeCSV.load(TestData.mazeSample)
        let plain = MazeDatasetBuilder.build(train: Array(records[0..<4]), test: Array(records[4...]), options: MazeBuildOptions())
        #expect(plain.train.exampleCount == 4)
        #expect(plain.train.metadata.vocabSize == 6)
        #expect(plain.train.metadata.seqLen == 900)
        #expect(plain.test.exampleCount == 20)
        let map: [Character: UInt8] = ["#": 1, " ": 2, "S": 3, "G": 4, "o": 5]
        let expected: [UInt8] = String(decoding: records[0].answer, as: UTF8.self).map { map[$0]! }
        #expect(Array(plain.train.label(0)) == expected)
        #expect(MazeDatasetBuilder.characters(plain.train.input(0)) == records[0].question)
        let aug = MazeDatasetBuilder.build(train: Array(records[0..<4]), test: [], options: MazeBuildOptions(augment: true))
        try aug.train.validate()
        #expect(aug.train.exampleCount == 32)
        #expect(aug.train.groupCount == 4)
        #expect(aug.train.metadata.totalPuzzles == 4)
        #expect(aug.train.difficulty?.count == 32)
    }

    @Test func mazeWithoutGoalIsNamedAndSkipInvalidReportsIt() throws {
        let (records, _) = try MazeCSV.load(TestData.mazeSample)
        let r = records[0]
        var noGoal = r.question, noGoalA = r.answer
        let g = try #require(r.question.firstIndex(of: UInt8(ascii: "G")))
        noGoal[g] = UInt8(ascii: " ")
        noGoalA[g] = UInt8(ascii: " ")
        let bad = MazeCSV.format(MazeRecord(source: "", question: noGoal, answer: noGoalA, rating: r.rating))
        let good = MazeCSV.format(r)
        let error = ingestError([good, bad])
        #expect(error?.problem == .startGoalCount(starts: 1, goals: 0))
        #expect(error?.location == "line 3")

        let url = TestData.temporaryDirectory().appendingPathComponent("mixed.csv")
        try (MazeCSV.header + "\n" + [good, bad, good, "x,1,2,3"].joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        let (kept, report) = try MazeCSV.load(url, options: IngestOptions(skipInvalid: true))
        #expect(kept == [r, r])
        #expect(report.source == "mixed.csv" && report.itemsRead == 4 && report.itemsAccepted == 2 && report.itemsSkipped == 2)
        #expect(report.firstErrors.map(\.location) == ["line 3", "line 5"])
        #expect(report.firstErrors.first?.problem == .startGoalCount(starts: 1, goals: 0))
        #expect(throws: DatasetError.self) { try MazeCSV.load(url) }
    }

    @Test func generatorWorksAtTheSmallestSide() throws {
        let options = MazeGeneratorOptions(side: 5)
        let mazes = try MazeGenerator.generate(count: 20, options: options, seed: 4)
        #expect(mazes.count == 20)
        for m in mazes {
            #expect(m.question.count == 25)
            #expect(m.rating >= options.minPathCells)
            #expect(try MazeRecord.verify(question: m.question, answer: m.answer, side: 5, requireTieBreak: true) == m.rating)
        }
        #expect(try MazeGenerator.generate(count: 20, options: options, seed: 4) == mazes)
        #expect(throws: DatasetUsageError.self) { try MazeGenerator.generate(count: 1, options: MazeGeneratorOptions(side: 4), seed: 1) }
    }
}

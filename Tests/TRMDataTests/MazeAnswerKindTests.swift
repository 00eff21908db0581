import Testing

@testable import TRMData

@Suite struct MazeAnswerKindTests {
    func tokens(_ rows: String...) -> [Int32] { rows.joined().utf8.map { Int32(MazeRecord.token($0)!) } }

    func kind(_ question: [Int32], _ answer: [Int32]) -> MazeAnswerKind? { MazeAnswerKind.classify(question: question, answer: answer) }

    @Test func pathsAreToldFromBrokenAnswersAndChangedMazes() throws {
        // An open 4×4 grid with S and G on the top row: the only shortest path runs along it.
        let row = tokens("S  G", "    ", "    ", "    ")
        #expect(kind(row, tokens("SooG", "    ", "    ", "    ")) == .otherShortestPath)
        #expect(kind(row, tokens("S  G", "oooo", "    ", "    ")) == .longerPath)
        #expect(kind(row, tokens("So G", "    ", "    ", "    ")) == .notAPath, "a gap")
        #expect(kind(row, tokens("SooG", " o  ", "    ", "    ")) == .notAPath, "a branch")
        #expect(kind(row, tokens("SooG", "    ", "    ", "   o")) == .notAPath, "a stray mark")
        #expect(kind(row, tokens("S  G", "oooo", "o  o", "oooo")) == .notAPath, "a loop on the path")
        #expect(kind(row, tokens("SooG", "    ", "oo  ", "oo  ")) == .notAPath, "a loop apart from it")
        #expect(kind(row, tokens("SooG", "    ", "  # ", "    ")) == .mazeChanged, "a new wall")
        #expect(kind(row, tokens(" ooG", "S   ", "    ", "    ")) == .mazeChanged, "S moved")
        #expect(kind(tokens("S# G", "    ", "    ", "    "), tokens("SooG", "    ", "    ", "    ")) == .mazeChanged, "a mark on a wall")
        #expect(kind(tokens("S   ", "    ", "    ", "    "), tokens("S   ", "    ", "    ", "    ")) == nil, "no goal")
        #expect(kind(tokens("S#G", "## ", "   "), tokens("S#G", "## ", "   ")) == nil, "goal walled off")
    }

    @Test func thePathCheckCountsCellsWithoutSearching() throws {
        let row = tokens("S  G", "    ", "    ", "    ")
        #expect(MazeAnswerKind.markedPathCells(question: row, answer: tokens("SooG", "    ", "    ", "    ")) == 4)
        #expect(MazeAnswerKind.markedPathCells(question: row, answer: tokens("S  G", "oooo", "    ", "    ")) == 6)
        #expect(MazeAnswerKind.markedPathCells(question: row, answer: tokens("So G", "    ", "    ", "    ")) == nil)
        #expect(MazeAnswerKind.markedPathCells(question: row, answer: tokens("SooG", "#   ", "    ", "    ")) == nil)
        // No marks reach the goal from an enclosed start.
        #expect(MazeAnswerKind.markedPathCells(question: tokens("S#G", "## ", "   "), answer: tokens("S#G", "## ", "   ")) == nil)
    }

    @Test func anotherShortestPathIsNotTheTieBreakLabel() throws {
        // G diagonal to S: two shortest paths, one of them the label the BFS tie-break picks.
        let question = tokens("S   ", " G  ", "    ", "    ")
        let solved = try #require(MazeRecord.solve(Array(("S   " + " G  " + "    " + "    ").utf8), side: 4))
        let label = solved.answer.map { Int32(MazeRecord.token($0)!) }
        let viaRight = tokens("So  ", " G  ", "    ", "    "), viaDown = tokens("S   ", "oG  ", "    ", "    ")
        #expect(label == viaRight || label == viaDown)
        #expect(kind(question, viaRight) == .otherShortestPath)
        #expect(kind(question, viaDown) == .otherShortestPath)
    }

    @Test func publishedLabelsAreShortestAndLosingAMarkBreaksThem() throws {
        let (records, _) = try MazeCSV.load(TestData.mazeSample)
        for record in records {
            let question = record.question.map { Int32(MazeRecord.token($0)!) }
            var answer = record.answer.map { Int32(MazeRecord.token($0)!) }
            #expect(kind(question, answer) == .otherShortestPath)
            answer[answer.firstIndex(of: 5)!] = 2
            #expect(kind(question, answer) == .notAPath)
        }
    }
}

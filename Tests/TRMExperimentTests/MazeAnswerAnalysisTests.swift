import TRMCore
import TRMData
import Testing

@testable import TRMExperiment

@Suite struct MazeAnswerAnalysisTests {
    func tokens(_ rows: String...) -> [Int32] { rows.joined().utf8.map { Int32(MazeRecord.token($0)!) } }

    @Test func wrongAnswersAreSortedAndThePathCheckSearchesTheSteps() throws {
        // A: S and G on the top row of an open 4×4 grid (one shortest path). B: G diagonal to S
        // (two shortest paths; the label is the tie-break one, `viaDown`).
        let mazeA = tokens("S  G", "    ", "    ", "    "), labelA = tokens("SooG", "    ", "    ", "    ")
        let mazeB = tokens("S   ", " G  ", "    ", "    ")
        let viaDown = tokens("S   ", "oG  ", "    ", "    "), viaRight = tokens("So  ", " G  ", "    ", "    ")
        let labelB = try #require(MazeRecord.solve(Array(("S   " + " G  " + "    " + "    ").utf8), side: 4)).answer.map {
            Int32(MazeRecord.token($0)!)
        }
        try #require(labelB == viaDown)
        let longer = tokens("S  G", "oooo", "    ", "    "), gap = tokens("So G", "    ", "    ", "    ")
        // Per example: (question, label, answer and halting logit at step 1, the same at step 2).
        let examples: [([Int32], [Int32], [Int32], Float, [Int32], Float)] = [
            (mazeA, labelA, labelA, -1, gap, 0),  // right, then broken: the path check keeps step 1
            (mazeA, labelA, longer, 5, longer, 5),  // a longer path throughout
            (mazeB, labelB, viaRight, 3, labelB, 1),  // right at K, but an equally short path halts more surely
            (mazeB, labelB, labelB, 0, labelB, 0),  // padding: not counted
        ]
        var analysis = MazeAnswerAnalysis()
        for k in 1...2 {
            let step = EvaluationStep(
                k: k, firstExample: 10, validRows: 3,
                batch: PuzzleBatch(
                    inputs: examples.flatMap(\.0), labels: examples.flatMap(\.1), puzzleIdentifiers: [0, 0, 0, 0], validRows: 3),
                predictions: examples.flatMap { k == 1 ? $0.2 : $0.4 },
                qLogits: examples.flatMap { [k == 1 ? $0.3 : $0.5, 0] }, logits: FloatBuffer(count: 1))
            analysis.add(step, maxK: 2, seqLen: 16)
        }
        #expect(analysis.examples == 3)
        #expect(analysis.wrongByKind == [.notAPath: 1, .longerPath: 1])
        #expect(analysis.solvedByPathCheck == 1)
        let table = analysis.table(k: 2)
        #expect(table.cell(row: "no single S–G path", column: "mazes") == "1")
        #expect(table.cell(row: "another shortest path", column: "mazes") == "0")
        #expect(table.note?.contains("2 of 3 mazes wrong") == true)
        #expect(table.note?.contains("would solve 1 (") == true)
    }
}

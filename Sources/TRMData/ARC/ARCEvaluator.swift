import Foundation

/// ARC scores: pass@K per K, averaged over evaluation tasks.
public struct ARCEvaluationResult: Sendable, Equatable {
    /// pass@K for each K in `ARCEvaluator.ks`.
    public var passAtK: [Int: Double]
    /// Evaluation tasks scored.
    public var taskCount: Int
    /// Prediction rows received (blank rows excluded).
    public var predictionCount: Int
}

/// The reference ARC evaluator: crop each predicted grid, undo the augmentation named by the row's
/// puzzle identifier, pool votes per (task, de-augmented test input) across all copies, rank
/// candidates by vote count then mean halting confidence (sigmoid of q_halt), score pass@K.
public struct ARCEvaluator: Sendable {
    /// The K values scored.
    public static let ks = [1, 2, 5, 10, 100, 1000]

    private struct Candidate: Sendable {
        var grid: ARCGrid
        var votes: Int
        var confidenceSum: Double
    }

    private let identifiers: [String]
    /// Evaluation tasks (with solutions), from `test_puzzles.json`, in sorted id order.
    public let tasks: [ARCTask]
    /// (task id, input hash) → prediction hash → candidate.
    private var votes: [String: [String: Candidate]] = [:]
    private var predictions = 0

    /// Creates an evaluator from a built ARC dataset (needs `identifiers` and `test_puzzles.json`).
    public init(dataset: PuzzleDataset) throws {
        guard let json = dataset.testPuzzlesJSON else {
            throw DatasetUsageError("the dataset has no test_puzzles.json; build it from ARC data with a test subset")
        }
        guard let object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw DatasetError(file: "test_puzzles.json", location: "top level", problem: .malformed("expected an object of tasks"))
        }
        self.identifiers = dataset.identifiers
        self.tasks = try object.keys.sorted().map { try ARCLoader.parseTask(object[$0]!, id: $0, file: "test_puzzles.json") }
    }

    /// Adds one prediction row: the row's input tokens (900), predicted output tokens (900), its puzzle
    /// identifier and the halting logit. Blank-identifier rows are ignored.
    public mutating func add<I: RandomAccessCollection, P: RandomAccessCollection>(
        inputTokens: I, predictedTokens: P, puzzleIdentifier: Int32, qHaltLogit: Float
    ) where I.Element: BinaryInteger, I.Index == Int, P.Element: BinaryInteger, P.Index == Int {
        guard puzzleIdentifier > 0, Int(puzzleIdentifier) < identifiers.count,
            let (taskID, aug) = ARCAugmentation.parse(puzzleName: identifiers[Int(puzzleIdentifier)])
        else { return }
        let input = aug.invert(ARCEncoding.crop(inputTokens))
        let prediction = aug.invert(ARCEncoding.crop(predictedTokens))
        let key = taskID + "|" + input.referenceHash
        let confidence = 1 / (1 + exp(-Double(qHaltLogit)))
        votes[key, default: [:]][prediction.referenceHash, default: Candidate(grid: prediction, votes: 0, confidenceSum: 0)].votes += 1
        votes[key]![prediction.referenceHash]!.confidenceSum += confidence
        predictions += 1
    }

    /// Adds every valid row of an evaluation batch with its predicted tokens (`B × 900`) and halting
    /// logits (`B`).
    public mutating func add(batch: PuzzleBatch, predictedTokens: [Int32], qHaltLogits: [Float]) {
        let s = ARCEncoding.side * ARCEncoding.side
        for r in 0..<batch.validRows {
            add(
                inputTokens: batch.inputs[(r * s)..<((r + 1) * s)], predictedTokens: predictedTokens[(r * s)..<((r + 1) * s)],
                puzzleIdentifier: batch.puzzleIdentifiers[r], qHaltLogit: qHaltLogits[r])
        }
    }

    /// Candidates best first. An empty crop (no grid in the predicted canvas) stays a candidate, as in
    /// the reference, so pass@K is comparable with its numbers: it can never pass, but it takes a slot.
    private func ranked(_ key: String) -> [ARCGrid] {
        guard let c = votes[key] else { return [] }
        return c.values.sorted { a, b in
            if a.votes != b.votes { return a.votes > b.votes }
            let ma = a.confidenceSum / Double(a.votes), mb = b.confidenceSum / Double(b.votes)
            if ma != mb { return ma > mb }
            return a.grid.referenceHash < b.grid.referenceHash  // deterministic tie order
        }.map(\.grid)
    }

    /// pass@K averaged per task (a test input without predictions is a miss).
    public func result() -> ARCEvaluationResult {
        var sums = [Int: Double]()
        for task in tasks {
            var passes = [Int: Int]()
            for pair in task.test {
                let ranking = ranked(task.id + "|" + pair.input.referenceHash)
                guard let truth = pair.output, let position = ranking.firstIndex(of: truth) else { continue }
                for k in Self.ks where position < k { passes[k, default: 0] += 1 }
            }
            for k in Self.ks { sums[k, default: 0] += Double(passes[k] ?? 0) / Double(max(1, task.test.count)) }
        }
        let n = Double(max(1, tasks.count))
        return ARCEvaluationResult(passAtK: sums.mapValues { $0 / n }, taskCount: tasks.count, predictionCount: predictions)
    }

    /// The ARC Prize submission: task id → one `{"attempt_1", "attempt_2"}` per test input (the
    /// first repeated when there is only one candidate; [[0]] when there is none).
    public func submission() -> [String: [[String: [[Int]]]]] {
        var out: [String: [[String: [[Int]]]]] = [:]
        for task in tasks {
            out[task.id] = task.test.map { pair in
                // An empty crop is no ARC grid, so it is never submitted as an attempt.
                let ranking = ranked(task.id + "|" + pair.input.referenceHash).filter { $0.rows > 0 && $0.columns > 0 }
                let first = ranking.first?.rowsList ?? [[0]]
                let second = ranking.count > 1 ? ranking[1].rowsList : first
                return ["attempt_1": first, "attempt_2": second]
            }
        }
        return out
    }

    /// Writes `submission()` as JSON, atomically.
    public func writeSubmission(to url: URL) throws {
        let data = try JSONSerialization.data(withJSONObject: submission(), options: [.sortedKeys])
        try writeAtomically(data, to: url)
    }
}

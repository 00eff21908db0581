import TRMData

/// What a maze evaluation's answers are: the wrong answers at the last K by `MazeAnswerKind`
/// (whether the model misses the labelled path among equal ones or does not solve the maze), and
/// how many mazes a path check over the model's own steps would solve, which measures how often a
/// right answer was among the steps the model produced.
public struct MazeAnswerAnalysis: Sendable, Equatable {
    /// Wrong answers at the last K of each kind.
    public private(set) var wrongByKind: [MazeAnswerKind: Int] = [:]
    /// Examples counted (rows whose question is not a square maze with one S and a reachable G
    /// cannot be judged and are left out).
    public private(set) var examples = 0
    /// Examples solved by the path check: of steps 1…K, the answer that marks a single S–G path
    /// with the fewest cells (ties: the higher halting logit, then the earlier step), or step K's
    /// answer when no step marks one.
    public private(set) var solvedByPathCheck = 0

    /// Nothing counted yet.
    public init() {}

    /// Wrong answers at the last K in all.
    public var wrong: Int { wrongByKind.values.reduce(0, +) }

    /// Takes in one ACT step of one evaluation batch; `maxK` is the evaluation's last step.
    mutating func add(_ step: EvaluationStep, maxK: Int, seqLen: Int) {
        for row in 0..<step.validRows {
            let cells = (row * seqLen)..<((row + 1) * seqLen)
            let question = Array(step.batch.inputs[cells]), answer = Array(step.predictions[cells])
            let correct = !zip(step.batch.labels[cells], answer).contains { $0 != ignoredLabel && $0 != $1 }
            let example = step.firstExample + row
            if let length = MazeAnswerKind.markedPathCells(question: question, answer: answer) {
                let candidate = Candidate(cells: length, haltLogit: step.qLogits[2 * row], correct: correct)
                if pathCandidates[example].map({ candidate.isBetter(than: $0) }) ?? true { pathCandidates[example] = candidate }
            }
            guard step.k == maxK else { continue }
            let best = pathCandidates.removeValue(forKey: example)
            guard let kind = MazeAnswerKind.classify(question: question, answer: answer) else { continue }
            examples += 1
            if !correct { wrongByKind[kind, default: 0] += 1 }
            if best?.correct ?? correct { solvedByPathCheck += 1 }
        }
    }

    /// The eval report's table: every kind with its count and share of the wrong answers, and
    /// what the path check would solve.
    func table(k: Int) -> ReportTable {
        let rows = MazeAnswerKind.allCases.map { kind -> [String] in
            let count = wrongByKind[kind] ?? 0
            return [kind.label, "\(count)", ReportFormat.percent(Double(count) / Double(max(1, wrong)))]
        }
        let pathCheck = ReportFormat.percent(Double(solvedByPathCheck) / Double(max(1, examples)))
        return ReportTable(
            title: "Wrong answers at K = \(k)",
            note: "\(wrong) of \(examples) mazes wrong, judged against the maze alone: another shortest path misses only the "
                + "labelled tie-break; a longer path or no single S–G path means the maze was not solved. A path check over steps "
                + "1…\(k) (the shortest answer that marks a single S–G path, without searching the maze) would solve "
                + "\(solvedByPathCheck) (\(pathCheck)).",
            headers: ["answer", "mazes", "share"], rows: rows, numeric: [1, 2])
    }

    /// One step's answer that marks a single S–G path.
    private struct Candidate: Sendable, Equatable {
        var cells: Int
        var haltLogit: Float
        var correct: Bool

        /// Fewer cells first, then the more confident halting head; an equal one keeps the earlier step.
        func isBetter(than other: Candidate) -> Bool {
            cells != other.cells ? cells < other.cells : haltLogit > other.haltLogit
        }
    }

    private var pathCandidates: [Int: Candidate] = [:]
    private let ignoredLabel: Int32 = -100
}

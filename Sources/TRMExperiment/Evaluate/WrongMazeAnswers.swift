import TRMData

/// The wrong answers of a maze evaluation at its last K, counted by `MazeAnswerKind`: whether the
/// model misses the labelled path among equal ones or does not solve the maze.
public struct WrongMazeAnswers: Sendable, Equatable {
    /// Wrong answers of each kind.
    public private(set) var counts: [MazeAnswerKind: Int] = [:]
    /// Examples counted, right or wrong (rows whose question is not a square maze with one S and
    /// a reachable G cannot be judged and are left out).
    public private(set) var examples = 0

    /// Nothing counted yet.
    public init() {}

    /// Wrong answers in all.
    public var wrong: Int { counts.values.reduce(0, +) }

    /// Counts the valid rows of one evaluation step: `predictions` are the argmax tokens of
    /// `batch`, `seqLen` per row. A row is wrong where any labelled position differs.
    mutating func add(batch: PuzzleBatch, predictions: [Int32], validRows: Int, seqLen: Int) {
        for row in 0..<validRows {
            let cells = (row * seqLen)..<((row + 1) * seqLen)
            let question = Array(batch.inputs[cells])
            guard let kind = MazeAnswerKind.classify(question: question, answer: Array(predictions[cells])) else { continue }
            examples += 1
            if zip(batch.labels[cells], predictions[cells]).contains(where: { $0 != ignoredLabel && $0 != $1 }) {
                counts[kind, default: 0] += 1
            }
        }
    }

    /// The eval report's table: every kind with its count and share of the wrong answers.
    func table(k: Int) -> ReportTable {
        let rows = MazeAnswerKind.allCases.map { kind -> [String] in
            let count = counts[kind] ?? 0
            return [kind.label, "\(count)", ReportFormat.percent(Double(count) / Double(max(1, wrong)))]
        }
        return ReportTable(
            title: "Wrong answers at K = \(k)",
            note: "\(wrong) of \(examples) mazes wrong, judged against the maze alone: another shortest path misses only the "
                + "labelled tie-break; a longer path or no single S–G path means the maze was not solved.",
            headers: ["answer", "mazes", "share"], rows: rows, numeric: [1, 2])
    }

    private let ignoredLabel: Int32 = -100
}

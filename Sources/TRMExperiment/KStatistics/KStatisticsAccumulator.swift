/// Collects the K traces of an evaluation one batch at a time, so the evaluation loop keeps only
/// a few numbers per example and step, never the logits.
///
/// For each batch: `beginBatch(rows:difficulty:group:)`, then for k = 1…maxK one `record(step:…)`
/// (after the k-th `evalStep`), in order. Pass only real rows (no padding). Then `statistics`.
public struct KStatisticsAccumulator: Sendable {
    /// Steps every example runs.
    public let maxK: Int
    private var traces: [KTrace] = []
    /// The current batch, row by row, until its last step completes the traces.
    private var pending: [(exact: [Bool], token: [Double], qHalt: [Float], difficulty: Double?, group: String?, scored: Bool)] = []
    private var nextStep = 1

    /// An empty accumulator for evaluations of `maxK` steps.
    public init(maxK: Int) {
        precondition(maxK >= 1, "an evaluation runs at least one ACT step")
        self.maxK = maxK
    }

    /// Completed examples so far.
    public var count: Int { traces.count }

    /// Starts a batch of `rows` examples; `difficulty` and `group`, when given, have one entry per row.
    public mutating func beginBatch(rows: Int, difficulty: [Double?]? = nil, group: [String?]? = nil) {
        precondition(pending.isEmpty, "the previous batch has \(nextStep - 1) of \(maxK) steps; record them all first")
        precondition(
            difficulty.map { $0.count == rows } ?? true && group.map { $0.count == rows } ?? true,
            "one difficulty and group per row")
        pending = (0..<rows).map { row in ([], [], [], difficulty?[row] ?? nil, group?[row] ?? nil, true) }
        nextStep = 1
    }

    /// Records step `step` of the current batch: per row, whether the whole answer is right, its
    /// token accuracy, and its halting logit q_halt.
    public mutating func record(step: Int, exact: [Bool], tokenAccuracy: [Double], qHalt: [Float]) {
        precondition(step == nextStep && step <= maxK, "expected step \(nextStep) of \(maxK), got \(step)")
        precondition(
            exact.count == pending.count && tokenAccuracy.count == pending.count && qHalt.count == pending.count,
            "one value per row of the batch (\(pending.count))")
        for row in pending.indices {
            pending[row].exact.append(exact[row])
            pending[row].token.append(tokenAccuracy[row])
            pending[row].qHalt.append(qHalt[row])
        }
        nextStep += 1
        if step == maxK {
            traces += pending.filter(\.scored).map {
                KTrace(exact: $0.exact, tokenAccuracy: $0.token, qHalt: $0.qHalt, difficulty: $0.difficulty, group: $0.group)
            }
            pending = []
        }
    }

    /// Records step `step` from the network's outputs: predicted tokens and labels `[rows, seqLen]`
    /// (labels equal to `ignoreLabel` do not count, as in the reference's metrics) and the
    /// `[rows, 2]` Q logits (halt, continue), of which the first `rows` rows are used. A row with
    /// no counted label is left out of the statistics, as the reference leaves it out of its count.
    public mutating func record(step: Int, predictions: [Int32], labels: [Int32], seqLen: Int, qLogits: [Float], ignoreLabel: Int32 = -100) {
        let rows = pending.count
        precondition(
            predictions.count >= rows * seqLen && labels.count >= rows * seqLen && qLogits.count >= 2 * rows,
            "predictions, labels and Q logits must cover every row")
        var exact = [Bool](repeating: false, count: rows)
        var token = [Double](repeating: 0, count: rows)
        for row in 0..<rows {
            var counted = 0, correct = 0
            for i in row * seqLen..<(row + 1) * seqLen where labels[i] != ignoreLabel {
                counted += 1
                if predictions[i] == labels[i] { correct += 1 }
            }
            if counted == 0 { pending[row].scored = false }
            exact[row] = counted > 0 && correct == counted
            token[row] = counted > 0 ? Double(correct) / Double(counted) : 0
        }
        record(step: step, exact: exact, tokenAccuracy: token, qHalt: (0..<rows).map { qLogits[2 * $0] })
    }

    /// The K statistics of every completed example.
    public func statistics(thresholds: [Double], bucketCount: Int = KStatistics.defaultBucketCount) -> KStatistics {
        precondition(pending.isEmpty, "the last batch has \(nextStep - 1) of \(maxK) steps; record them all first")
        return KStatistics.compute(traces, thresholds: thresholds, maxK: maxK, bucketCount: bucketCount)
    }
}

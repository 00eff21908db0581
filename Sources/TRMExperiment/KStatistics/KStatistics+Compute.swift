extension KStatistics {
    /// Default number of difficulty buckets (quartiles).
    public static let defaultBucketCount = 4

    /// Computes every K statistic of one evaluation.
    /// - Parameters:
    ///   - traces: one per example, all with the same K_max.
    ///   - thresholds: halting probabilities to evaluate besides the model's own q_halt > 0 rule.
    ///   - maxK: the steps each trace holds; needed only when `traces` may be empty.
    ///   - bucketCount: number of difficulty quantile buckets.
    public static func compute(_ traces: [KTrace], thresholds: [Double], maxK: Int? = nil, bucketCount: Int = defaultBucketCount) -> KStatistics {
        let maxK = maxK ?? traces.first?.maxK ?? 0
        precondition(traces.allSatisfy { $0.maxK == maxK }, "every K trace of one evaluation needs the same number of steps")
        let n = Double(max(1, traces.count))
        let accuracy = (0..<maxK).map { i in
            AccuracyAtK(
                k: i + 1,
                tokenAccuracy: traces.reduce(0) { $0 + $1.tokenAccuracy[i] } / n,
                exactAccuracy: Double(traces.reduce(0) { $0 + ($1.exact[i] ? 1 : 0) }) / n)
        }
        let rules = [HaltRule.positiveLogit] + Set(thresholds.filter { $0 > 0 }).sorted().map(HaltRule.probability)
        let halting = rules.map { haltingOutcome(traces, rule: $0, maxK: maxK) }
        let examples = traces.enumerated().map { index, trace in example(trace, index: index) }
        return KStatistics(maxK: maxK, accuracy: accuracy, halting: halting, examples: examples, bucketCount: bucketCount)
    }

    /// Assembles statistics from their parts, deriving the difficulty buckets and groups from the
    /// examples (so stored statistics need not keep them).
    public init(maxK: Int, accuracy: [AccuracyAtK], halting: [Halting], examples: [Example], bucketCount: Int = defaultBucketCount) {
        self.init(
            maxK: maxK, accuracy: accuracy, halting: halting, examples: examples,
            difficultyBuckets: Self.buckets(examples, count: bucketCount), groups: Self.groups(examples))
    }

    /// The first step where the rule halts the trace; K_max (and `false`) when it never does.
    static func haltStep(_ trace: KTrace, rule: HaltRule) -> (k: Int, halted: Bool) {
        if let i = trace.qHalt.firstIndex(where: rule.halts) { return (i + 1, true) }
        return (trace.maxK, false)
    }

    private static func haltingOutcome(_ traces: [KTrace], rule: HaltRule, maxK: Int) -> Halting {
        var histogram = [Int](repeating: 0, count: maxK)
        var never = 0, exact = 0, token = 0.0, steps = 0
        for trace in traces {
            let (k, halted) = haltStep(trace, rule: rule)
            histogram[k - 1] += 1
            if !halted { never += 1 }
            if trace.exact[k - 1] { exact += 1 }
            token += trace.tokenAccuracy[k - 1]
            steps += k
        }
        let n = Double(max(1, traces.count))
        return Halting(
            rule: rule, histogram: histogram, neverHalted: never, exactAccuracy: Double(exact) / n,
            tokenAccuracy: token / n, meanK: Double(steps) / n,
            savedFraction: traces.isEmpty ? 0 : 1 - Double(steps) / (n * Double(maxK)))
    }

    private static func example(_ trace: KTrace, index: Int) -> Example {
        let correctAtMax = trace.exact[trace.maxK - 1]
        // The optimal K starts right after the last wrong step.
        let lastWrong = trace.exact.lastIndex(of: false)
        let optimalK = correctAtMax ? (lastWrong.map { $0 + 2 } ?? 1) : nil
        let firstRight = trace.exact.firstIndex(of: true)
        let regressed = firstRight.map { first in trace.exact[first...].contains(false) } ?? false
        return Example(
            index: index, optimalK: optimalK, regressed: regressed, correctAtMax: correctAtMax,
            haltK: haltStep(trace, rule: .positiveLogit).k, difficulty: trace.difficulty, group: trace.group)
    }

    /// Splits the examples with a difficulty into `count` quantile buckets of near-equal size;
    /// equal difficulties never straddle two buckets, so there may be fewer.
    static func buckets(_ examples: [Example], count: Int) -> [DifficultyBucket] {
        let rated = examples.filter { $0.difficulty != nil }.sorted { $0.difficulty! < $1.difficulty! }
        guard !rated.isEmpty, count > 0 else { return [] }
        var bounds = [0]
        for i in 1..<count {
            var b = i * rated.count / count
            while b > 0, b < rated.count, rated[b].difficulty == rated[b - 1].difficulty { b += 1 }
            if b > bounds.last!, b < rated.count { bounds.append(b) }
        }
        bounds.append(rated.count)
        return zip(bounds, bounds.dropFirst()).map { start, end in
            let slice = rated[start..<end]
            return DifficultyBucket(
                lower: slice.first!.difficulty!, upper: slice.last!.difficulty!, count: slice.count,
                solvedFraction: Double(slice.filter(\.correctAtMax).count) / Double(slice.count),
                meanOptimalK: mean(slice.compactMap(\.optimalK)), meanHaltK: mean(slice.compactMap(\.haltK)))
        }
    }

    static func groups(_ examples: [Example]) -> [Group] {
        Dictionary(grouping: examples.filter { $0.group != nil }, by: { $0.group! }).sorted { $0.key < $1.key }.map { label, members in
            Group(
                label: label, count: members.count,
                solvedFraction: Double(members.filter(\.correctAtMax).count) / Double(members.count),
                meanOptimalK: mean(members.compactMap(\.optimalK)))
        }
    }

    private static func mean(_ values: [Int]) -> Double? {
        values.isEmpty ? nil : Double(values.reduce(0, +)) / Double(values.count)
    }
}

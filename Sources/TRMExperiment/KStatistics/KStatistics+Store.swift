import GRDB

extension RunStore {
    /// Stores the K statistics of one evaluation (replacing earlier ones of the same step and split).
    /// - Parameters:
    ///   - id: the evaluated run's id.
    ///   - evalStep: training step of the evaluation.
    ///   - split: "test" for the run's own evaluation; `trm-exp eval` uses its own names.
    ///   - statistics: the statistics to store.
    public func recordKStatistics(run id: String, evalStep: Int, split: String = "test", _ statistics: KStatistics) throws {
        let accuracy = statistics.accuracy.map {
            KAccuracyRecord(run_id: id, eval_step: evalStep, k: $0.k, token_acc: $0.tokenAccuracy, exact_acc: $0.exactAccuracy, split: split)
        }
        var halting: [HaltingRecord] = []
        for rule in statistics.halting {
            for (i, count) in rule.histogram.enumerated() where count > 0 {
                halting.append(
                    HaltingRecord(run_id: id, eval_step: evalStep, threshold: rule.rule.storedThreshold, k: i + 1, count: count, split: split))
            }
        }
        let summaries = statistics.halting.map {
            HaltingSummaryRecord(
                run_id: id, eval_step: evalStep, threshold: $0.rule.storedThreshold, max_k: statistics.maxK,
                never_halted: $0.neverHalted, token_acc: $0.tokenAccuracy, exact_acc: $0.exactAccuracy,
                mean_k: $0.meanK, saved_fraction: $0.savedFraction, split: split)
        }
        let examples = statistics.examples.map {
            ExampleKRecord(
                run_id: id, eval_step: evalStep, example: $0.index, optimal_k: $0.optimalK, regressed: $0.regressed,
                correct_at_max: $0.correctAtMax, difficulty: $0.difficulty, halt_k: $0.haltK, group_label: $0.group, split: split)
        }
        try recordKStatistics(
            run: id, evalStep: evalStep, split: split, accuracy: accuracy, halting: halting, examples: examples,
            haltingSummaries: summaries)
    }

    /// Training steps at which a run has K statistics on `split`, ascending.
    public func kEvaluationSteps(run id: String, split: String = "test") throws -> [Int] {
        try read { db in
            try Int.fetchAll(
                db, sql: "SELECT DISTINCT eval_step FROM k_accuracy WHERE run_id = ? AND split = ? ORDER BY eval_step", arguments: [id, split])
        }
    }

    /// The K statistics of one evaluation on `split` (the latest when `evalStep` is nil); nil when
    /// there are none. Halting accuracies missing from older stores are NaN.
    public func kStatistics(
        run id: String, evalStep: Int? = nil, split: String = "test", bucketCount: Int = KStatistics.defaultBucketCount
    ) throws -> KStatistics? {
        let accuracy = try kAccuracy(run: id, evalStep: evalStep, split: split)
        guard let step = accuracy.first?.eval_step else { return nil }
        let (halting, summaries, examples) = try read { db in
            let filter = Column("run_id") == id && Column("eval_step") == step && Column("split") == split
            return (
                try HaltingRecord.filter(filter).order(Column("threshold"), Column("k")).fetchAll(db),
                try HaltingSummaryRecord.filter(filter).fetchAll(db),
                try ExampleKRecord.filter(filter).order(Column("example")).fetchAll(db)
            )
        }
        let maxK = max(accuracy.map(\.k).max() ?? 0, halting.map(\.k).max() ?? 0)
        let thresholds = Set(halting.map(\.threshold)).union(summaries.map(\.threshold)).sorted()
        let rules = thresholds.map { threshold in
            var histogram = [Int](repeating: 0, count: maxK)
            for row in halting where row.threshold == threshold { histogram[row.k - 1] += row.count }
            let n = histogram.reduce(0, +)
            let steps = histogram.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
            let summary = summaries.first { $0.threshold == threshold }
            return KStatistics.Halting(
                rule: HaltRule(storedThreshold: threshold), histogram: histogram, neverHalted: summary?.never_halted ?? 0,
                exactAccuracy: summary?.exact_acc ?? .nan, tokenAccuracy: summary?.token_acc ?? .nan,
                meanK: summary?.mean_k ?? (n > 0 ? Double(steps) / Double(n) : 0),
                savedFraction: summary?.saved_fraction ?? (n > 0 ? 1 - Double(steps) / Double(n * maxK) : 0))
        }
        return KStatistics(
            maxK: maxK,
            accuracy: accuracy.map { .init(k: $0.k, tokenAccuracy: $0.token_acc, exactAccuracy: $0.exact_acc) },
            halting: rules,
            examples: examples.map {
                .init(
                    index: $0.example, optimalK: $0.optimal_k, regressed: $0.regressed, correctAtMax: $0.correct_at_max,
                    haltK: $0.halt_k, difficulty: $0.difficulty, group: $0.group_label)
            },
            bucketCount: bucketCount)
    }
}

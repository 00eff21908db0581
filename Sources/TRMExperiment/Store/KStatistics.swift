import GRDB

/// Accuracy at one evaluation when every test example stops after exactly `k` ACT steps.
public struct KAccuracyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The SQLite table holding these rows.
    public static let databaseTableName = "k_accuracy"
    /// Id of the run that was evaluated.
    public var run_id: String
    /// Training step of the evaluation.
    public var eval_step: Int
    /// The data measured: "test" for the run's own evaluation, "eval" or "eval:<file>" for `trm-exp eval`.
    public var split: String = "test"
    /// ACT steps run, 1…max_k.
    public var k: Int
    /// Mean per-sequence token accuracy (0…1).
    public var token_acc: Double
    /// Fraction of sequences entirely correct (0…1).
    public var exact_acc: Double

    /// A row for run `run_id` at evaluation `eval_step`.
    public init(run_id: String, eval_step: Int, k: Int, token_acc: Double, exact_acc: Double, split: String = "test") {
        self.run_id = run_id
        self.eval_step = eval_step
        self.split = split
        self.k = k
        self.token_acc = token_acc
        self.exact_acc = exact_acc
    }
}

/// How many test examples would halt at step `k` under a halting probability `threshold`.
public struct HaltingRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The SQLite table holding these rows.
    public static let databaseTableName = "halting"
    /// Id of the run that was evaluated.
    public var run_id: String
    /// Training step of the evaluation.
    public var eval_step: Int
    /// See `KAccuracyRecord.split`.
    public var split: String = "test"
    /// Halting probability sigmoid(q_halt) that counts as "halt".
    public var threshold: Double
    /// First ACT step at which the example crosses the threshold.
    public var k: Int
    /// Number of test examples first crossing the threshold at step `k` (those never crossing it count at max_k).
    public var count: Int

    /// A row for run `run_id` at evaluation `eval_step`.
    public init(run_id: String, eval_step: Int, threshold: Double, k: Int, count: Int, split: String = "test") {
        self.run_id = run_id
        self.eval_step = eval_step
        self.split = split
        self.threshold = threshold
        self.k = k
        self.count = count
    }
}

/// Per test example at one evaluation: how many ACT steps it needs and whether more steps hurt.
public struct ExampleKRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The SQLite table holding these rows.
    public static let databaseTableName = "example_k"
    /// Id of the run that was evaluated.
    public var run_id: String
    /// Training step of the evaluation.
    public var eval_step: Int
    /// See `KAccuracyRecord.split`.
    public var split: String = "test"
    /// Index of the example in the test set.
    public var example: Int
    /// Fewest ACT steps after which it is entirely correct; nil if never.
    public var optimal_k: Int?
    /// Correct at some k but wrong at a later one.
    public var regressed: Bool
    /// Correct after max_k steps.
    public var correct_at_max: Bool
    /// A difficulty measure of the puzzle (e.g. blanks or path length), when known.
    public var difficulty: Double?
    /// First step where q_halt > 0 (max_k when never), when recorded.
    public var halt_k: Int?
    /// Group or task label, when the dataset has one.
    public var group_label: String?

    /// A row for run `run_id` at evaluation `eval_step`.
    public init(
        run_id: String, eval_step: Int, example: Int, optimal_k: Int?, regressed: Bool, correct_at_max: Bool, difficulty: Double?,
        halt_k: Int? = nil, group_label: String? = nil, split: String = "test"
    ) {
        self.run_id = run_id
        self.eval_step = eval_step
        self.split = split
        self.example = example
        self.optimal_k = optimal_k
        self.regressed = regressed
        self.correct_at_max = correct_at_max
        self.difficulty = difficulty
        self.halt_k = halt_k
        self.group_label = group_label
    }
}

/// Accuracy and cost of one halting rule at one evaluation (`halting_summary`).
public struct HaltingSummaryRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The SQLite table holding these rows.
    public static let databaseTableName = "halting_summary"
    /// Id of the run that was evaluated.
    public var run_id: String
    /// Training step of the evaluation.
    public var eval_step: Int
    /// `HaltRule.storedThreshold`: 0 for q_halt > 0, else the probability.
    public var threshold: Double
    /// ACT steps recorded per example (K_max).
    public var max_k: Int
    /// Examples that never met the rule within `max_k` steps.
    public var never_halted: Int
    /// Mean per-example token accuracy (0…1) when each example stops where the rule halts it.
    public var token_acc: Double
    /// Fraction of examples entirely correct (0…1) when each example stops where the rule halts it.
    public var exact_acc: Double
    /// Mean number of ACT steps run under the rule.
    public var mean_k: Double
    /// Fraction of steps saved against always running `max_k`: 1 − Σ k_halt / (n · max_k).
    public var saved_fraction: Double
    /// See `KAccuracyRecord.split`.
    public var split: String = "test"
}

extension RunStore {
    /// Stores the K statistics of one evaluation in one transaction, replacing any earlier ones
    /// of the same evaluation step and split (so a re-run evaluation does not double count).
    /// The records' own `split` must equal `split`.
    public func recordKStatistics(
        run id: String, evalStep: Int, split: String = "test", accuracy: [KAccuracyRecord], halting: [HaltingRecord], examples: [ExampleKRecord],
        haltingSummaries: [HaltingSummaryRecord] = []
    ) throws {
        try write { db in
            for table in ["k_accuracy", "halting", "example_k", "halting_summary"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE run_id = ? AND eval_step = ? AND split = ?", arguments: [id, evalStep, split])
            }
            for record in accuracy { try record.insert(db) }
            for record in halting { try record.insert(db) }
            for record in examples { try record.insert(db) }
            for record in haltingSummaries { try record.insert(db) }
        }
    }

    /// Accuracy by k of one evaluation (the latest when `evalStep` is nil) on `split`, in k order.
    public func kAccuracy(run id: String, evalStep: Int? = nil, split: String = "test") throws -> [KAccuracyRecord] {
        try read { db in
            let step =
                try evalStep
                ?? Int.fetchOne(
                    db, sql: "SELECT MAX(eval_step) FROM k_accuracy WHERE run_id = ? AND split = ?", arguments: [id, split])
            guard let step else { return [] }
            return try KAccuracyRecord.filter(Column("run_id") == id && Column("eval_step") == step && Column("split") == split)
                .order(Column("k")).fetchAll(db)
        }
    }
}

import Foundation

/// When an example counts as halted after step k.
public enum HaltRule: Sendable, Hashable, Comparable {
    /// The model's own rule: q_halt > 0 (what the reference does at training time).
    case positiveLogit
    /// sigmoid(q_halt) ≥ p, for a probability p in (0, 1].
    case probability(Double)

    /// The value stored in the `threshold` columns of the run store. The model's own rule is
    /// stored as 0 because a probability threshold of 0 would halt everything at step 1 and is
    /// therefore never a configured one.
    public var storedThreshold: Double {
        switch self {
        case .positiveLogit: 0
        case .probability(let p): p
        }
    }

    /// The rule a stored threshold stands for (see `storedThreshold`).
    public init(storedThreshold: Double) {
        self = storedThreshold <= 0 ? .positiveLogit : .probability(storedThreshold)
    }

    /// Whether a halting logit meets the rule.
    public func halts(_ qHalt: Float) -> Bool {
        switch self {
        case .positiveLogit: return qHalt > 0
        case .probability(let p): return 1 / (1 + exp(-Double(qHalt))) >= p
        }
    }

    /// Short label for tables: "q>0" or "p≥0.9".
    public var label: String {
        switch self {
        case .positiveLogit: "q>0"
        case .probability(let p): "p≥\(String(format: "%g", p))"
        }
    }
}

/// How accuracy depends on the number of ACT steps K in one evaluation, and how well the
/// halting head chooses K. Built by `compute` from per-example traces, or loaded from the run
/// store (`RunStore.kStatistics`).
public struct KStatistics: Sendable, Equatable {
    /// Accuracy if every example stopped after exactly `k` steps.
    public struct AccuracyAtK: Sendable, Equatable {
        /// ACT steps run, 1…K_max.
        public var k: Int
        /// Mean per-example token accuracy (0…1).
        public var tokenAccuracy: Double
        /// Fraction of examples entirely correct (0…1).
        public var exactAccuracy: Double
    }

    /// The outcome of letting one halting rule decide when each example stops.
    public struct Halting: Sendable, Equatable {
        /// The halting rule this outcome belongs to.
        public var rule: HaltRule
        /// Examples halting at step k (index k − 1); examples that never meet the rule count at K_max.
        public var histogram: [Int]
        /// Examples that never met the rule within K_max steps (included at K_max in `histogram`).
        public var neverHalted: Int
        /// Exact accuracy when every example stops where the rule halts it.
        public var exactAccuracy: Double
        /// Token accuracy when every example stops where the rule halts it.
        public var tokenAccuracy: Double
        /// Mean number of steps run.
        public var meanK: Double
        /// Fraction of the steps saved against always running K_max: 1 − Σ k_halt / (n · K_max).
        public var savedFraction: Double
    }

    /// One example's K profile.
    public struct Example: Sendable, Equatable {
        /// Position of the example in the evaluation (test-set order).
        public var index: Int
        /// The first K after which the answer is correct and stays correct through K_max; nil if
        /// wrong at K_max.
        public var optimalK: Int?
        /// Correct at some step and wrong at a later one.
        public var regressed: Bool
        /// Entirely correct after K_max steps.
        public var correctAtMax: Bool
        /// Where the model's own rule (q_halt > 0) stops it (K_max when it never does); nil when unknown.
        public var haltK: Int?
        /// A difficulty measure of the puzzle (e.g. blanks or path length); nil when unknown.
        public var difficulty: Double?
        /// Group or task label of the example; nil when the dataset has none.
        public var group: String?

        /// Correct at some step (a regression needs an earlier correct answer).
        public var everCorrect: Bool { correctAtMax || regressed }
    }

    /// Examples whose difficulty falls in one quantile range.
    public struct DifficultyBucket: Sendable, Equatable {
        /// Lowest and highest difficulty in the bucket.
        public var lower: Double, upper: Double
        /// Number of examples in the bucket.
        public var count: Int
        /// Fraction correct at K_max.
        public var solvedFraction: Double
        /// Mean optimal K of the solved examples; nil when none is solved.
        public var meanOptimalK: Double?
        /// Mean halting step of the model's own rule; nil when unknown.
        public var meanHaltK: Double?
    }

    /// Examples sharing a group label.
    public struct Group: Sendable, Equatable {
        /// The group or task label shared by the examples.
        public var label: String
        /// Number of examples with this label.
        public var count: Int
        /// Fraction correct at K_max.
        public var solvedFraction: Double
        /// Mean optimal K of the solved examples; nil when none is solved.
        public var meanOptimalK: Double?
    }

    /// Steps recorded per example.
    public var maxK: Int
    /// Accuracy for k = 1…K_max.
    public var accuracy: [AccuracyAtK]
    /// The model's own rule first, then each probability threshold in ascending order.
    public var halting: [Halting]
    /// One entry per example, in evaluation order.
    public var examples: [Example]
    /// Quantile buckets of the examples that have a difficulty (empty when none has).
    public var difficultyBuckets: [DifficultyBucket]
    /// Per group label, in label order (empty when no example has a label).
    public var groups: [Group]

    /// Number of examples.
    public var count: Int { examples.count }

    /// The halting summary of a rule, if computed.
    public func halting(_ rule: HaltRule) -> Halting? { halting.first { $0.rule == rule } }
}

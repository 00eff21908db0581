/// What one test example did at every ACT step k = 1…K_max of one evaluation: the raw input of
/// `KStatistics.compute`.
public struct KTrace: Sendable, Equatable {
    /// Whether the whole answer was correct after step k (index k − 1).
    public var exact: [Bool]
    /// Fraction of the answer's tokens correct after step k (index k − 1).
    public var tokenAccuracy: [Double]
    /// The halting logit q_halt after step k (index k − 1).
    public var qHalt: [Float]
    /// A difficulty measure (Sudoku rating, maze path length, …), when the dataset has one.
    public var difficulty: Double?
    /// A group or task label (e.g. the ARC task), when the dataset has one.
    public var group: String?

    /// A trace; the three per-step arrays must have the same length K_max ≥ 1.
    public init(exact: [Bool], tokenAccuracy: [Double], qHalt: [Float], difficulty: Double? = nil, group: String? = nil) {
        precondition(
            !exact.isEmpty && exact.count == tokenAccuracy.count && exact.count == qHalt.count,
            "a K trace needs one value per step in each array")
        self.exact = exact
        self.tokenAccuracy = tokenAccuracy
        self.qHalt = qHalt
        self.difficulty = difficulty
        self.group = group
    }

    /// Number of steps recorded (K_max).
    public var maxK: Int { exact.count }
}

/// Which training examples a sampler may draw as training goes on: a window of per-example
/// difficulty (maze path cells, Sudoku rating) that moves linearly from `start` to `end` over the
/// first `steps` batches and stays at `end` after that. Easy examples first, the test's own mix last.
public struct DifficultyCurriculum: Equatable, Sendable {
    /// Batches over which the window moves from `start` to `end`.
    public var steps: Int
    /// Lowest and highest difficulty admitted at batch 0 (inclusive).
    public var start: ClosedRange<Double>
    /// The window from batch `steps` on.
    public var end: ClosedRange<Double>

    /// A curriculum; `steps` must be positive.
    public init(steps: Int, start: ClosedRange<Double>, end: ClosedRange<Double>) {
        precondition(steps > 0, "a curriculum needs at least one step")
        self.steps = steps
        self.start = start
        self.end = end
    }

    /// The window in force for batch `step` (0-based).
    public func window(atStep step: Int) -> ClosedRange<Double> {
        let t = Double(min(max(step, 0), steps)) / Double(steps)
        let lower = start.lowerBound + (end.lowerBound - start.lowerBound) * t
        let upper = start.upperBound + (end.upperBound - start.upperBound) * t
        return lower...max(lower, upper)
    }
}

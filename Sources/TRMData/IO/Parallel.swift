import Foundation

/// Per-index result slots written from `DispatchQueue.concurrentPerform` workers. Each index is
/// written by exactly one worker and read only after the parallel loop returns.
final class ParallelResults<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.lock(); slots[i] = value; lock.unlock()
    }

    func get(_ i: Int) -> T? { slots[i] }
}

/// A thread-safe running total for progress reports.
final class ProgressCounter: @unchecked Sendable {
    private var total = 0
    private let lock = NSLock()

    /// Adds `n` and hands the new total to `report` while still holding the lock, so reports from
    /// several workers arrive in increasing order (a display never sees the total go back).
    func add(_ n: Int, report: ((Int) -> Void)?) {
        lock.lock(); defer { lock.unlock() }
        total += n
        report?(total)
    }
}

/// The highest value seen so far, for progress that must not go back.
final class ProgressHighWater: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    /// Records `candidate` and returns the highest value recorded.
    func raise(_ candidate: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        value = max(value, candidate)
        return value
    }
}

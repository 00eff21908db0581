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

    func add(_ n: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        total += n
        return total
    }
}

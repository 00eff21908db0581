import Dispatch

/// Splits elementwise work across the cores. Small jobs run inline: below `minimumPerThread`
/// elements per thread the hand-off costs more than it saves.
public enum Parallel {
    /// Elements per thread below which splitting elementwise work does not pay.
    public static let elementsPerThread = 1 << 15

    /// Threads used for elementwise kernels (set with the BLAS thread count).
    nonisolated(unsafe) public static var threads = 1

    /// Calls `body(range)` on disjoint ranges covering `0..<count`, in parallel when worth it.
    /// Ranges start at multiples of 8, so vector loops stay aligned to their blocks.
    @inline(__always)
    public static func forEachRange(_ count: Int, minimumPerThread: Int = elementsPerThread, _ body: (Range<Int>) -> Void) {
        let parts = min(threads, count / max(minimumPerThread, 1))
        if parts <= 1 {
            body(0..<count)
            return
        }
        let chunk = ((count + parts - 1) / parts + 7) / 8 * 8
        withoutActuallyEscaping(body) { body in
            let work = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let start = part * chunk
                let end = min(count, start + chunk)
                if start < end { work.value(start..<end) }
            }
        }
    }

    /// The `minimumPerThread` for `forEachRange` over vectors of `length` values each: the same
    /// elementwise threshold, counted in vectors, so many short rows split as one long vector does.
    public static func vectorsPerThread(length: Int) -> Int { max(1, elementsPerThread / max(length, 1)) }

    /// Calls `body(part, range)` for `parts` contiguous, near-equal chunks of `0..<count`, each on
    /// its own worker when there is more than one. The caller chooses `parts` (capped at `count`)
    /// because only it knows what one index costs; `part` lets each worker use its own scratch.
    public static func forEachChunk(_ count: Int, parts: Int, _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
        let parts = max(1, min(parts, count))
        if parts == 1 {
            body(0, 0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let work = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                work.value(part, (part * count / parts)..<((part + 1) * count / parts))
            }
        }
    }
}

/// Lets a value cross into `concurrentPerform`; callers guarantee the threads touch disjoint data.
public struct UnsafeSendable<Value>: @unchecked Sendable {
    /// The wrapped value.
    public let value: Value
    /// Wraps `value`; the caller promises that concurrent users touch disjoint parts of it.
    public init(_ value: Value) { self.value = value }
}

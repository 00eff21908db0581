import Foundation
import TRMData

/// Shows dataset ingest and generation progress the way training shows its steps: on a terminal
/// one live bar per file being read or split being generated (share done, rows so far, speed, ETA),
/// otherwise a plain line every few seconds. CSV files advance by bytes (in KB or MB), ARC task
/// files by tasks, generation by puzzles. Thread-safe.
public final class DatasetProgressDisplay: @unchecked Sendable {
    private let mode: ProgressReporter.Mode
    private let console: Console
    private let lineInterval: TimeInterval
    private let clock: @Sendable () -> Date
    private let lock = NSLock()
    private var label: String?
    private var reporter: ProgressReporter?
    /// When the last report arrived (or the display was made): where the next file's reading began,
    /// since a file's first report only comes after its first rows.
    private var lastReport: Date

    /// - Parameters:
    ///   - mode: live bar, plain lines or nothing (default: live on a terminal, else lines).
    ///   - console: where progress goes (default standard error, shared with the log).
    ///   - lineInterval: seconds between plain lines.
    ///   - clock: the time source (tests inject one).
    public init(
        mode: ProgressReporter.Mode = .automatic(quiet: false), console: Console = .standardError, lineInterval: TimeInterval = 5,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.mode = mode
        self.console = console
        self.lineInterval = lineInterval
        self.clock = clock
        self.lastReport = clock()
    }

    /// The handler to put in `IngestOptions.progress`.
    public var ingest: DatasetProgressHandler { { [self] progress in update(progress) } }

    /// The handler for `DatasetRecipe.build(generationProgress:)`: one bar per generated split.
    public var generation: @Sendable (GenerationProgress) -> Void { { [self] progress in update(progress) } }

    /// Shows one progress report; a new file ends the previous file's bar and starts its own, and
    /// a file read to its end ends its bar.
    public func update(_ progress: DatasetProgress) {
        if let tasks = progress.totalItems {
            show(label: "read \(progress.file)", unit: "task", total: tasks, step: progress.items, done: progress.items >= tasks)
        } else {
            let scale = progress.totalBytes >= 1 << 20 ? 1 << 20 : 1 << 10
            let total = max(1, (progress.totalBytes + scale - 1) / scale)
            let done = progress.bytesRead >= progress.totalBytes
            show(
                label: "read \(progress.file)", unit: scale == 1 << 20 ? "MB" : "KB", total: total,
                step: done ? total : progress.bytesRead / scale, done: done, fields: [("rows", Double(progress.items))])
        }
    }

    /// Shows how many puzzles of a split are generated.
    public func update(_ progress: GenerationProgress) {
        show(
            label: "generate \(progress.split)", unit: "puzzle", total: progress.total, step: progress.done,
            done: progress.done >= progress.total)
    }

    private func show(
        label: String, unit: String, total: Int, step: Int, done: Bool, fields: [(name: String, value: Double)] = []
    ) {
        lock.withLock {
            if label != self.label || reporter == nil {
                reporter?.finish()
                self.label = label
                reporter = ProgressReporter(
                    label: label, total: total, mode: mode, console: console, lineInterval: lineInterval, clock: clock, unit: unit,
                    startTime: lastReport)
            }
            lastReport = clock()
            reporter?.update(step: step, fields: fields)
            // A finished file or split ends its bar, so reading the same file again starts a new one.
            if done {
                reporter?.finish()
                reporter = nil
            }
        }
    }

    /// Ends the last bar (leaving it on screen).
    public func finish() {
        lock.withLock {
            reporter?.finish()
            reporter = nil
            label = nil
        }
    }
}

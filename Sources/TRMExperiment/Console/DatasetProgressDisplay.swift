import Foundation
import TRMData

/// Shows dataset ingest progress the way training shows its steps: on a terminal one live bar per
/// file being read (share of the file, rows so far, speed, ETA), otherwise a plain line every few
/// seconds. CSV files advance by bytes (in KB or MB), ARC task files by tasks. Thread-safe.
public final class DatasetProgressDisplay: @unchecked Sendable {
    private let mode: ProgressReporter.Mode
    private let console: Console
    private let lineInterval: TimeInterval
    private let clock: @Sendable () -> Date
    private let lock = NSLock()
    private var file: String?
    private var reporter: ProgressReporter?
    private var scale = 1
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

    /// Shows one progress report; a new file ends the previous file's bar and starts its own, and
    /// a file read to its end ends its bar.
    public func update(_ progress: DatasetProgress) {
        lock.withLock {
            if progress.file != file || reporter == nil {
                reporter?.finish()
                file = progress.file
                let unit: String
                let total: Int
                if let tasks = progress.totalItems {
                    (unit, scale, total) = ("task", 1, tasks)
                } else {
                    scale = progress.totalBytes >= 1 << 20 ? 1 << 20 : 1 << 10
                    unit = scale == 1 << 20 ? "MB" : "KB"
                    total = max(1, (progress.totalBytes + scale - 1) / scale)
                }
                reporter = ProgressReporter(
                    label: "read \(progress.file)", total: total, mode: mode, console: console, lineInterval: lineInterval, clock: clock,
                    unit: unit, startTime: lastReport)
            }
            lastReport = clock()
            let done = progress.totalItems.map { progress.items >= $0 } ?? (progress.bytesRead >= progress.totalBytes)
            if progress.totalItems != nil {
                reporter?.update(step: progress.items)
            } else {
                reporter?.update(step: done ? reporter?.total ?? 0 : progress.bytesRead / scale, fields: [("rows", Double(progress.items))])
            }
            // A finished file ends its bar, so reading the same file again starts a new one.
            if done {
                reporter?.finish()
                reporter = nil
            }
        }
    }

    /// Ends the last file's bar (leaving it on screen).
    public func finish() {
        lock.withLock {
            reporter?.finish()
            reporter = nil
            file = nil
        }
    }
}

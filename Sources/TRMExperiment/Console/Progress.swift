import Foundation

/// Reports the progress of a long loop (training steps, evaluation batches). On a terminal it
/// redraws one live line (`step/total`, a bar, custom fields such as loss and accuracy, rate and
/// ETA); otherwise it prints a plain line every `lineInterval` seconds so logs stay readable;
/// quiet mode prints nothing. Thread-safe.
public final class ProgressReporter: @unchecked Sendable {
    /// How progress is shown.
    public enum Mode: Sendable, Equatable {
        /// A single line redrawn with `\r`.
        case live
        /// Periodic plain lines.
        case lines
        /// Nothing.
        case quiet

        /// `live` when the console is a terminal, else `lines`; `quiet` when asked.
        public static func automatic(quiet: Bool, console: Console = .standardError) -> Mode {
            quiet ? .quiet : console.isTerminal ? .live : .lines
        }
    }

    /// Shown first on every line, e.g. "train" or "eval".
    public let label: String
    /// Steps expected in total, when known (for the bar and ETA).
    public let total: Int?
    /// How progress is shown.
    public let mode: Mode
    /// What one step is, for the rate ("step" → `5.0 step/s`, "MB" → `5.0 MB/s`).
    public let unit: String
    private let console: Console
    private let lineInterval: TimeInterval
    private let redrawInterval: TimeInterval = 0.1
    private let clock: @Sendable () -> Date
    private let lock = NSLock()
    private let start: Date
    private let startStep: Int
    private var lastShown: Date?
    private var lastLine = ""

    /// - Parameters:
    ///   - label: shown first, e.g. "train" or "eval".
    ///   - total: steps expected, if known.
    ///   - startStep: the step the loop starts from (resumed runs), so the rate is not inflated.
    ///   - mode: how progress is shown (default: live on a terminal, plain lines otherwise).
    ///   - console: where progress is written (default standard error).
    ///   - lineInterval: seconds between plain lines in `lines` mode.
    ///   - clock: the time source (tests inject one).
    ///   - unit: what one step is, shown in the rate.
    ///   - startTime: when the work began, if before this reporter was made (default: now).
    public init(
        label: String, total: Int?, startStep: Int = 0, mode: Mode = .automatic(quiet: false),
        console: Console = .standardError, lineInterval: TimeInterval = 10,
        clock: @escaping @Sendable () -> Date = { Date() }, unit: String = "step", startTime: Date? = nil
    ) {
        self.label = label
        self.unit = unit
        self.total = total
        self.startStep = startStep
        self.mode = mode
        self.console = console
        self.lineInterval = lineInterval
        self.clock = clock
        self.start = startTime ?? clock()
    }

    /// Reports that `step` steps are done, with named values (e.g. `("loss", 0.51)`), shown in order.
    /// Cheap to call every step: output is throttled.
    public func update(step: Int, fields: [(name: String, value: Double)] = []) {
        guard mode != .quiet else { return }
        let now = clock()
        lock.withLock {
            let interval = mode == .live ? redrawInterval : lineInterval
            let isLast = total.map { step >= $0 } ?? false
            if let lastShown, now.timeIntervalSince(lastShown) < interval, !isLast { return }
            lastShown = now
            lastLine = render(step: step, fields: fields, now: now)
            if mode == .live { console.setStatus(lastLine) } else { console.writeLine(lastLine) }
        }
    }

    /// Ends the display: the live line stays on screen; a final plain line is printed with `message`.
    public func finish(_ message: String? = nil) {
        guard mode != .quiet else { return }
        lock.withLock {
            if mode == .live { console.commitStatus() }
            if let message { console.writeLine("\(label): \(message)") }
        }
    }

    /// The line for a given state; `update` shows it.
    func render(step: Int, fields: [(name: String, value: Double)], now: Date) -> String {
        var parts = [label]
        let elapsed = max(now.timeIntervalSince(start), 1e-9)
        let rate = Double(step - startStep) / elapsed
        if let total, total > 0 {
            let fraction = min(1, max(0, Double(step) / Double(total)))
            parts.append("\(step)/\(total)")
            if mode == .live { parts.append(Self.bar(fraction, width: 20)) }
            parts.append(String(format: "%3.0f%%", fraction * 100))
        } else {
            parts.append("step \(step)")
        }
        for field in fields { parts.append("\(field.name)=\(Self.format(field.value))") }
        parts.append(rate >= 1 ? String(format: "%.1f \(unit)/s", rate) : String(format: "%.2f s/\(unit)", rate > 0 ? 1 / rate : 0))
        if let total, rate > 0, step < total {
            parts.append("ETA " + Self.duration(Double(total - step) / rate))
        } else {
            parts.append("elapsed " + Self.duration(elapsed))
        }
        return parts.joined(separator: "  ")
    }

    /// A bar of `width` cells, eighths included.
    static func bar(_ fraction: Double, width: Int) -> String {
        let eighths = Int((fraction * Double(width * 8)).rounded(.down))
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var bar = String(repeating: "█", count: eighths / 8)
        if eighths / 8 < width { bar += partials[eighths % 8] }
        return "▕" + bar.padding(toLength: width, withPad: " ", startingAt: 0) + "▏"
    }

    /// A value in at most 4 significant digits (`0.5123`, `1234`, `1.2e-05`).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e6 { return String(Int(value)) }
        let magnitude = abs(value)
        return magnitude >= 1e-3 && magnitude < 1e6 ? String(format: "%.4g", value) : String(format: "%.2e", value)
    }

    /// `42s`, `3m07s`, `2h05m`, `3d04h`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        switch s {
        case ..<60: return "\(s)s"
        case ..<3600: return String(format: "%dm%02ds", s / 60, s % 60)
        case ..<86400: return String(format: "%dh%02dm", s / 3600, s % 3600 / 60)
        default: return String(format: "%dd%02dh", s / 86400, s % 86400 / 3600)
        }
    }
}

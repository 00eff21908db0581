import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The single owner of standard error: log lines and the live progress line share the terminal
/// without garbling each other (a log line clears the bar, prints, and redraws it).
public final class Console: @unchecked Sendable {
    /// The process's console on standard error.
    public static let standardError = Console(isTerminal: isatty(STDERR_FILENO) == 1) { text in
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Whether output goes to a terminal (so `\r` redraws work).
    public let isTerminal: Bool
    private let sink: @Sendable (String) -> Void
    private let lock = NSLock()
    private var status: String?

    /// A console writing to `sink`; tests pass a collecting closure.
    public init(isTerminal: Bool, sink: @escaping @Sendable (String) -> Void) {
        self.isTerminal = isTerminal
        self.sink = sink
    }

    /// Prints a full line, keeping the live status line (if any) below it.
    public func writeLine(_ line: String) {
        lock.withLock {
            if status != nil { sink("\r\u{1B}[K") }
            sink(line + "\n")
            if let status { sink(status) }
        }
    }

    /// Replaces the live status line in place (terminals only); nil removes it.
    public func setStatus(_ line: String?) {
        lock.withLock {
            guard isTerminal else { return }
            if let line {
                sink("\r\u{1B}[K" + line)
            } else if status != nil {
                sink("\r\u{1B}[K")
            }
            status = line
        }
    }

    /// Ends the live status line, leaving its last text on screen.
    public func commitStatus() {
        lock.withLock {
            if status != nil { sink("\n") }
            status = nil
        }
    }
}

import Foundation
import Logging

/// Process-wide logging through swift-log: `Logger(label:)` anywhere writes
/// `HH:MM:SS level label: message key=value` lines to the console, above any live progress line.
public enum LoggingSetup {
    private static let once = NSLock()
    nonisolated(unsafe) private static var done = false

    /// Installs the console handler at `level` (`.info` by default, `.debug` for `--verbose`,
    /// `.warning` for `--quiet`). swift-log allows one bootstrap per process; later calls do nothing.
    public static func bootstrap(level: Logger.Level = .info, console: Console = .standardError) {
        once.withLock {
            guard !done else { return }
            done = true
            LoggingSystem.bootstrap { label in ConsoleLogHandler(label: label, console: console, logLevel: level) }
        }
    }
}

/// A swift-log handler writing one line per message to a `Console`.
public struct ConsoleLogHandler: LogHandler {
    /// Lowest level that is written; less severe messages are dropped.
    public var logLevel: Logger.Level
    /// Metadata added to every message of the logger.
    public var metadata: Logger.Metadata = [:]
    /// Label of the logger, written before each message.
    public let label: String
    private let console: Console

    /// A handler for loggers labelled `label`, showing messages at `logLevel` and above.
    public init(label: String, console: Console, logLevel: Logger.Level = .info) {
        self.label = label
        self.console = console
        self.logLevel = logLevel
    }

    /// One entry of `metadata`.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the event as one console line.
    public func log(event: LogEvent) {
        console.writeLine(Self.format(event: event, label: label, handlerMetadata: metadata))
    }

    /// The text of one log line, with the wall-clock time in UTC.
    static func format(event: LogEvent, label: String, handlerMetadata: Logger.Metadata, date: Date = Date()) -> String {
        let merged = handlerMetadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.keys.sorted().map { "\($0)=\(merged[$0]!)" }.joined(separator: " ")
        let seconds = Int(date.timeIntervalSince1970) % 86400
        let time = String(format: "%02d:%02d:%02d", seconds / 3600, seconds % 3600 / 60, seconds % 60)
        return "\(time) \(event.level) \(label): \(event.message)" + (fields.isEmpty ? "" : " " + fields)
    }
}

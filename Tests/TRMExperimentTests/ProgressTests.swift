import Foundation
import Logging
import Testing

@testable import TRMExperiment

/// Collects console output and provides a settable clock.
final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    private var now = Date(timeIntervalSince1970: 1_000_000)

    var output: String { lock.withLock { text } }
    func append(_ string: String) { lock.withLock { text += string } }
    func advance(_ seconds: TimeInterval) { lock.withLock { now += seconds } }
    func time() -> Date { lock.withLock { now } }
}

@Suite struct ProgressTests {
    @Test func liveModeRedrawsOneLine() {
        let recorder = Recorder()
        let console = Console(isTerminal: true) { recorder.append($0) }
        let progress = ProgressReporter(label: "train", total: 100, mode: .live, console: console, clock: { recorder.time() })
        recorder.advance(2)
        progress.update(step: 10, fields: [("loss", 0.51234), ("acc", 0.25)])
        progress.update(step: 11)  // within the redraw interval: not drawn
        recorder.advance(2)
        progress.update(step: 20, fields: [("loss", 0.4)])
        console.writeLine("a log line")
        progress.finish("done")
        let out = recorder.output
        #expect(out.hasPrefix("\r\u{1B}[Ktrain  10/100  ▕██" + String(repeating: " ", count: 18) + "▏   10%"))
        #expect(out.contains("loss=0.5123  acc=0.25  5.0 step/s  ETA 18s"))
        #expect(!out.contains("11/100"))
        #expect(out.contains("20/100"))
        // The log line clears the bar, prints, and redraws the bar after it.
        #expect(out.contains("\r\u{1B}[Ka log line\ntrain  20/100"))
        #expect(out.hasSuffix("\ntrain: done\n"))
    }

    @Test func plainLinesAreThrottled() {
        let recorder = Recorder()
        let console = Console(isTerminal: false) { recorder.append($0) }
        let progress = ProgressReporter(label: "eval", total: 50, mode: .lines, console: console, lineInterval: 10, clock: { recorder.time() })
        for step in 1...50 {
            recorder.advance(1)
            progress.update(step: step)
        }
        let lines = recorder.output.split(separator: "\n")
        // Step 1, then every 10 s, and the last step always.
        #expect(
            lines.map { $0.split(separator: " ").dropFirst().first.map(String.init) ?? "" }
                == ["1/50", "11/50", "21/50", "31/50", "41/50", "50/50"])
        #expect(!recorder.output.contains("\r"))
        #expect(lines.last?.contains("elapsed 50s") == true)
    }

    @Test func quietModePrintsNothing() {
        let recorder = Recorder()
        let console = Console(isTerminal: true) { recorder.append($0) }
        let progress = ProgressReporter(label: "train", total: 10, mode: .quiet, console: console)
        progress.update(step: 5)
        progress.finish("done")
        #expect(recorder.output.isEmpty)
        #expect(ProgressReporter.Mode.automatic(quiet: true, console: console) == .quiet)
        #expect(ProgressReporter.Mode.automatic(quiet: false, console: console) == .live)
        #expect(ProgressReporter.Mode.automatic(quiet: false, console: Console(isTerminal: false) { _ in }) == .lines)
    }

    @Test func formatting() {
        #expect(ProgressReporter.duration(42) == "42s")
        #expect(ProgressReporter.duration(187) == "3m07s")
        #expect(ProgressReporter.duration(7500) == "2h05m")
        #expect(ProgressReporter.duration(2 * 86400 + 3600 * 4) == "2d04h")
        #expect(ProgressReporter.format(0.000012) == "1.20e-05")
        #expect(ProgressReporter.format(3) == "3")
        #expect(ProgressReporter.bar(0.5, width: 4) == "▕██  ▏")
        #expect(ProgressReporter.bar(1, width: 4) == "▕████▏")
        #expect(ProgressReporter.bar(0.0625, width: 2) == "▕▏ ▏")
    }

    @Test func logLinesCarryLevelLabelAndMetadata() {
        let event = LogEvent(
            level: .warning, message: "slow step", metadata: ["step": "12"], source: "x",
            file: #fileID, function: #function, line: #line)
        let line = ConsoleLogHandler.format(
            event: event, label: "runner", handlerMetadata: ["run": "abc"],
            date: Date(timeIntervalSince1970: 3600 + 61))
        #expect(line == "01:01:01 warning runner: slow step run=abc step=12")
    }
}

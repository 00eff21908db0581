import Foundation
import TRMData
import Testing

@testable import TRMExperiment

/// `DatasetProgressDisplay`: ingest progress through the shared progress display.
@Suite struct DatasetProgressTests {
    private func feed(_ display: DatasetProgressDisplay, _ recorder: Recorder) {
        let mb = 1 << 20
        for (read, rows) in [(mb, 100), (2 * mb, 200), (3 * mb, 300)] {
            recorder.advance(1)
            display.update(DatasetProgress(file: "train.csv", bytesRead: read, totalBytes: 3 * mb, items: rows))
        }
        recorder.advance(1)
        display.update(DatasetProgress(file: "train.csv", bytesRead: mb, totalBytes: 3 * mb, items: 100))
        recorder.advance(1)
        display.update(DatasetProgress(file: "test.csv", bytesRead: 10_240, totalBytes: 10_240, items: 5))
        for task in 1...4 {
            recorder.advance(0.5)
            display.update(DatasetProgress(file: "x_challenges.json", bytesRead: 0, totalBytes: 0, items: task, totalItems: 4))
        }
        display.finish()
    }

    @Test func plainLinesNameTheFileTheShareAndTheRows() {
        let recorder = Recorder()
        let console = Console(isTerminal: false) { recorder.append($0) }
        feed(DatasetProgressDisplay(mode: .lines, console: console, lineInterval: 0, clock: { recorder.time() }), recorder)
        let lines = recorder.output.split(separator: "\n").map(String.init)
        #expect(!recorder.output.contains("\r"))
        #expect(lines.count == 9)
        #expect(lines[0] == "read train.csv  1/3   33%  rows=100  1.0 MB/s  ETA 2s")
        #expect(lines[2] == "read train.csv  3/3  100%  rows=300  1.0 MB/s  elapsed 3s")
        // Reading the same file again starts a new bar with its own clock.
        #expect(lines[3] == "read train.csv  1/3   33%  rows=100  1.0 MB/s  ETA 2s")
        // Small files count in KB; ARC task files in tasks.
        #expect(lines[4] == "read test.csv  10/10  100%  rows=5  10.0 KB/s  elapsed 1s")
        #expect(lines[6] == "read x_challenges.json  2/4   50%  2.0 task/s  ETA 1s")
        #expect(lines[8].hasPrefix("read x_challenges.json  4/4  100%"))
    }

    @Test func aTerminalGetsOneLiveBarPerFile() {
        let recorder = Recorder()
        let console = Console(isTerminal: true) { recorder.append($0) }
        feed(DatasetProgressDisplay(mode: .live, console: console, clock: { recorder.time() }), recorder)
        let out = recorder.output
        #expect(out.hasPrefix("\r\u{1B}[Kread train.csv  1/3  ▕"))
        #expect(out.contains("rows=300  1.0 MB/s  elapsed 3s\n\r\u{1B}[Kread train.csv  1/3"))
        #expect(out.contains("▏  100%  rows=5  10.0 KB/s  elapsed 1s\n"))
        #expect(out.hasSuffix("100%  2.0 task/s  elapsed 2s\n"))
        // Each finished file leaves its last line on screen: one line per file read.
        #expect(out.split(separator: "\n").count == 4)
    }

    @Test func quietShowsNothing() {
        let recorder = Recorder()
        let console = Console(isTerminal: true) { recorder.append($0) }
        feed(DatasetProgressDisplay(mode: .quiet, console: console, clock: { recorder.time() }), recorder)
        #expect(recorder.output.isEmpty)
    }

    @Test func generationShowsOneBarPerSplit() {
        let recorder = Recorder()
        let console = Console(isTerminal: false) { recorder.append($0) }
        let display = DatasetProgressDisplay(mode: .lines, console: console, lineInterval: 0, clock: { recorder.time() })
        for done in [50, 100] {
            recorder.advance(1)
            display.update(GenerationProgress(split: "train", done: done, total: 100))
        }
        recorder.advance(1)
        display.generation(GenerationProgress(split: "test", done: 20, total: 20))
        display.finish()
        #expect(
            recorder.output.split(separator: "\n") == [
                "generate train  50/100   50%  50.0 puzzle/s  ETA 1s", "generate train  100/100  100%  50.0 puzzle/s  elapsed 2s",
                "generate test  20/20  100%  20.0 puzzle/s  elapsed 1s",
            ])
    }
}

import ArgumentParser
import Foundation
import TRMExperiment

/// `trm-exp runs [--store PATH]`
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs in the run store, newest first.")

    @Option(help: "The run store (SQLite database).")
    var store: String = RunStore.defaultPath

    func run() throws {
        let listing = try RunStore.openExisting(path: store).listRuns()
        guard !listing.isEmpty else {
            print("no runs in \(store) yet")
            return
        }
        let metric = "best \(RunStore.headlineMetric.split) \(RunStore.headlineMetric.key)"
        var table = TextTable(headers: ["id", "name", "group", "status", "steps", metric, "age"], rightAligned: [4, 5, 6])
        let now = Date()
        for item in listing {
            table.append([
                item.run.id, item.run.name, item.run.group_name ?? "-", item.run.status.rawValue, String(item.run.steps_done),
                item.best.map { String(format: "%.4f", $0) } ?? "-",
                Age.text(seconds: now.timeIntervalSince(item.run.started_at)),
            ])
        }
        print(table.render())
    }
}

import ArgumentParser
import Foundation
import TRMExperiment

/// `trm-exp show RUN [--store PATH]`
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one run: provenance, resolved config, metric summary and checkpoints.")

    @Argument(help: .run)
    var reference: String

    @Option(help: .store)
    var store: String = RunStore.defaultPath

    func run() throws {
        let runStore = try RunStore.openExisting(path: store)
        let record = try runStore.resolveRun(reference)
        let formatter = ISO8601DateFormatter()
        var lines = [
            "run        \(record.id)",
            "name       \(record.name)" + (record.group_name.map { "  (group \($0))" } ?? ""),
            "status     \(record.status.rawValue), \(record.steps_done) steps",
            "started    \(formatter.string(from: record.started_at))"
                + (record.ended_at.map { ", ended \(formatter.string(from: $0))" } ?? ""),
            "version    \(record.version)" + (record.git_commit.map { ", commit \($0)" } ?? ""),
            "host       \(record.host)",
            "config     \(record.config_hash)",
        ]
        if let digest = record.dataset_digest { lines.append("dataset    \(digest)") }
        print(lines.joined(separator: "\n"))

        print("\nconfig:")
        if let data = record.config_json.data(using: .utf8), let json = try? JSONValue.parse(data, source: "run \(record.id)") {
            print(json.pretty)
        } else {
            print(record.config_json)
        }

        let summaries = try runStore.metricSummaries(run: record.id)
        print("\nmetrics:")
        if summaries.isEmpty {
            print("none logged yet")
        } else {
            var table = TextTable(headers: ["split", "key", "points", "last step", "last", "min", "max"], rightAligned: [2, 3, 4, 5, 6])
            for s in summaries {
                table.append([
                    s.split, s.key, String(s.count), String(s.last_step), Self.number(s.last_value),
                    Self.number(s.min_value), Self.number(s.max_value),
                ])
            }
            print(table.render())
        }

        let checkpoints = try runStore.checkpoints(run: record.id)
        print("\ncheckpoints:")
        if checkpoints.isEmpty {
            print("none written yet")
        } else {
            var table = TextTable(headers: ["step", "best", "bytes", "sha256", "path"], rightAligned: [0, 2])
            for c in checkpoints {
                table.append([String(c.step), c.is_best ? "*" : "", String(c.bytes), String(c.sha256.prefix(12)), c.path])
            }
            print(table.render())
        }
    }

    private static func number(_ value: Double) -> String { String(format: "%.6g", value) }
}

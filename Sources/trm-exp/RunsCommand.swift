import ArgumentParser
import Foundation
import TRMExperiment

/// `trm-exp runs [list|rename|delete] …`: the run store's table of contents and its upkeep.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, rename or delete the runs in the run store.",
        discussion: """
            `trm-exp runs` lists the runs, newest first. Rename an exploratory run so that a name \
            (the one `compare NAME` and the learning report look up) keeps meaning the run you want; \
            delete a run you no longer need, records and checkpoint files alike.

            Examples:
              trm-exp runs
              trm-exp runs rename 6ba14736a228 maze-mlp-b32
              trm-exp runs delete lr-test --yes
            """,
        subcommands: [RunsList.self, RunsRename.self, RunsDelete.self],
        defaultSubcommand: RunsList.self)
}

/// `trm-exp runs [list] [--store PATH]`
struct RunsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the runs in the run store, newest first.")

    @Option(help: .store)
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

/// `trm-exp runs rename RUN NEW-NAME [--store PATH]`
struct RunsRename: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename",
        abstract: "Give a run a new name; its id, records and checkpoints stay.")

    @Argument(help: .run)
    var reference: String

    @Argument(help: ArgumentHelp("The new name: letters, digits, '.', '_' or '-'.", valueName: "new-name"))
    var name: String

    @Option(help: .store)
    var store: String = RunStore.defaultPath

    func run() throws {
        let runStore = try RunStore.openExisting(path: store)
        let record = try runStore.resolveRun(reference)
        try runStore.rename(run: record.id, to: name)
        print("run \(record.id): renamed \(record.name) → \(name)")
    }
}

/// `trm-exp runs delete RUN [--yes] [--force] [--store PATH]`
struct RunsDelete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a run: its records and its folder of checkpoints.",
        discussion: """
            Without --yes it only says what would go. A name shared by several runs is refused: \
            give the id (`trm-exp runs` lists them). A run still marked running may be training in \
            another process, so it is refused unless --force (use that for a run whose process died).
            """)

    @Argument(help: ArgumentHelp("The run: its id, a unique id prefix, or a name held by one run.", valueName: "run"))
    var reference: String

    @Flag(help: "Really delete (otherwise only show what would be deleted).")
    var yes = false

    @Flag(help: "Also delete a run whose status is still running.")
    var force = false

    @Option(help: .store)
    var store: String = RunStore.defaultPath

    func run() throws {
        let runStore = try RunStore.openExisting(path: store)
        let record = try runStore.resolveRun(reference)
        let namesakes = try runStore.runIDs(named: reference)
        if record.name == reference && namesakes.count > 1 {
            throw ValidationError(
                "\(namesakes.count) runs are named \(reference) (\(namesakes.joined(separator: ", "))); give the id of the one to delete")
        }
        if record.status == .running && !force {
            throw ValidationError(
                "run \(record.id) (\(record.name)) is marked running and may still be training; stop it first, or add --force if its process is gone")
        }
        let folder = runStore.runDirectory(for: record.id)
        let hasFolder = FileManager.default.fileExists(atPath: folder.path)
        let what =
            "run \(record.id) (\(record.name), \(record.status.rawValue), \(record.steps_done) steps)" + (hasFolder ? " and \(folder.path)" : "")
        guard yes else {
            print("would delete \(what); add --yes to delete")
            return
        }
        try runStore.deleteRun(id: record.id)
        if hasFolder { try FileManager.default.removeItem(at: folder) }
        print("deleted \(what)")
    }
}

import Foundation
import TRMExperiment
import Testing

/// `trm-exp runs`, `runs rename` and `runs delete` as a user types them.
@Suite struct RunsCommandTests {
    @Test func renameThenDeleteOneOfTwoNamesakes() throws {
        let folder = try CLI.temporaryDirectory()
        let path = folder.appendingPathComponent("trm.sqlite").path
        let store = try RunStore(path: path)
        let config = try ExperimentConfig.load(
            contentsOf: CLI.repository.appendingPathComponent("experiments/smoke.json"), overrides: ["name=probe"])
        let first = try store.createRun(for: config, startedAt: Date(timeIntervalSince1970: 1))
        let second = try store.createRun(for: config, startedAt: Date(timeIntervalSince1970: 2))
        let checkpoints = store.runDirectory(for: second.id)
        try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
        try Data("weights".utf8).write(to: checkpoints.appendingPathComponent("step-1.safetensors.zz"))

        // A name two runs share is not enough to delete one of them.
        let ambiguous = try CLI.run(["runs", "delete", "probe", "--yes", "--store", path])
        #expect(ambiguous.status != 0)
        #expect(ambiguous.stderr.contains("2 runs are named probe") && ambiguous.stderr.contains(second.id), "\(ambiguous.stderr)")

        let renamed = try CLI.run(["runs", "rename", second.id, "probe-long", "--store", path])
        #expect(renamed.status == 0 && renamed.stdout.contains("renamed probe → probe-long"), "\(renamed.stderr)")
        let badName = try CLI.run(["runs", "rename", second.id, "no spaces", "--store", path])
        #expect(badName.status != 0 && badName.stderr.contains("is not a run name"))

        // Still marked running: refused without --force; without --yes nothing goes.
        let running = try CLI.run(["runs", "delete", "probe-long", "--yes", "--store", path])
        #expect(running.status != 0 && running.stderr.contains("--force"), "\(running.stderr)")
        try store.updateStatus(run: second.id, .finished)
        let dryRun = try CLI.run(["runs", "delete", "probe-long", "--store", path])
        #expect(dryRun.status == 0 && dryRun.stdout.contains("would delete run \(second.id)") && dryRun.stdout.contains(checkpoints.path))
        #expect(FileManager.default.fileExists(atPath: checkpoints.path) && (try? store.run(id: second.id)) != nil)

        let deleted = try CLI.run(["runs", "delete", "probe-long", "--yes", "--store", path])
        #expect(deleted.status == 0 && deleted.stdout.contains("deleted run \(second.id)"), "\(deleted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: checkpoints.path))
        let listing = try CLI.run(["runs", "--store", path])
        #expect(listing.stdout.contains(first.id) && !listing.stdout.contains(second.id), "\(listing.stdout)")
        #expect(try CLI.run(["runs", "list", "--store", path]).stdout == listing.stdout)
    }
}

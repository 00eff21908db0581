import Foundation
import TRMCore
import TRMExperiment
import Testing

/// End-to-end through the built binary on `experiments/smoke.json`: run, list, show; a resume
/// after `kill -9` and a corrupted checkpoint reproduces an uninterrupted run exactly.
@Suite(.serialized) struct RunLifecycleTests {
    /// Metric rows that must be equal between runs (wall-clock rates excluded).
    private func metricRows(_ store: RunStore, _ run: String) throws -> [String] {
        try store.metrics(run: run).filter { $0.key != "examples_per_second" }
            .map { "\($0.step) \($0.split) \($0.key) \($0.value.bitPattern)" }.sorted()
    }

    /// The model tensors of a run's newest checkpoint.
    private func finalWeights(_ store: RunStore, _ run: String) throws -> [String: [Float]] {
        let latest = try #require(try store.checkpoints(run: run).max { $0.step < $1.step })
        let file = try CheckpointFile.read(from: URL(fileURLWithPath: latest.path), expectedSHA256: latest.sha256)
        var weights: [String: [Float]] = [:]
        for name in file.names where name.hasPrefix("inner.") { weights[name] = try file.tensor(name).scalars }
        return weights
    }

    @Test func runListShow() throws {
        let folder = try CLI.temporaryDirectory()
        let store = folder.appendingPathComponent("trm.sqlite").path
        let run = try CLI.run(["run", "experiments/smoke.json", "--store", store, "--quiet", "--name", "smoke-e2e"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("smoke-e2e: finished after 60 steps"))
        let runs = try CLI.run(["runs", "--store", store])
        #expect(runs.stdout.contains("smoke-e2e") && runs.stdout.contains("finished"))
        let show = try CLI.run(["show", "smoke-e2e", "--store", store])
        #expect(show.status == 0)
        #expect(show.stdout.contains("\"sudoku_size\": \"4\""))
        let opened = try RunStore.openExisting(path: store)
        let record = try opened.resolveRun("smoke-e2e")
        #expect(record.steps_done == 60 && record.status == .finished && record.dataset_digest != nil)
        let losses = try opened.metrics(run: record.id, split: "train", key: "loss")
        #expect(losses.count == 12)
        #expect(losses.last!.value < losses.first!.value, "training loss should fall: \(losses.map(\.value))")
        // Halting per logging interval: `steps` is the mean ACT steps of the sequences that halted,
        // `halted_at_k<k>` how many halted after k steps; with every sequence labelled, those
        // counts sum to `count` (halted sequences per step) times the interval's steps.
        let train = Dictionary(grouping: try opened.metrics(run: record.id, split: "train"), by: \.step)
        var previous = 0
        for step in train.keys.sorted() {
            let values = Dictionary(uniqueKeysWithValues: train[step]!.map { ($0.key, $0.value) })
            let halted = values.filter { $0.key.hasPrefix("halted_at_k") }.map { (k: Int($0.key.dropFirst(11))!, count: $0.value) }
            let total = halted.map(\.count).reduce(0, +)
            #expect(halted.allSatisfy { (1...4).contains($0.k) })
            #expect(abs(total - values["count"]! * Double(step - previous)) < 1e-9, "step \(step)")
            let meanSteps = try #require(values["steps"])
            if total > 0 { #expect(abs(halted.map { Double($0.k) * $0.count }.reduce(0, +) / total - meanSteps) < 1e-9, "step \(step)") }
            previous = step
        }
        #expect(train.values.contains { rows in rows.contains { $0.key.hasPrefix("halted_at_k") } })
        #expect(try opened.metrics(run: record.id, split: "test", key: "exact_accuracy").map(\.step) == [30, 60])
        #expect(try opened.kAccuracy(run: record.id).map(\.k) == [1, 2, 3, 4])
        #expect(try opened.params(run: record.id)["model.num_parameters"] != nil)
        #expect(try opened.params(run: record.id)[RunProgress.totalStepsKey] == "60")
        #expect(try opened.progress()[record.id] == RunProgress(step: 60, totalSteps: 60))
    }

    @Test func resumeAfterKillAndCorruptionIsBitIdentical() async throws {
        let folder = try CLI.temporaryDirectory()
        let reference = folder.appendingPathComponent("reference.sqlite").path
        let interrupted = folder.appendingPathComponent("interrupted.sqlite").path
        let settings = ["--set", "checkpointing.every=10", "--quiet"]
        let whole = try CLI.run(["run", "experiments/smoke.json", "--store", reference] + settings)
        #expect(whole.status == 0, "\(whole.stderr)")

        // Start the same run and kill -9 it once two checkpoints exist (so one can be corrupted).
        let (process, _, _) = try CLI.start(["run", "experiments/smoke.json", "--store", interrupted] + settings)
        let steps = CLI.waitForCheckpoints(in: interrupted, count: 2, of: process)
        if steps != nil { kill(process.processIdentifier, SIGKILL) }
        let killedAt = steps?.max() ?? -1
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run finished before it could be killed")
        #expect(killedAt >= 20 && killedAt < 60)

        let store = try RunStore.openExisting(path: interrupted)
        let run = try #require(try store.listRuns().first?.run)
        #expect(run.status == .running)  // killed: nobody could mark it
        // Flip one byte in the newest checkpoint: resume must refuse it and fall back.
        let newest = try #require(try store.checkpoints(run: run.id).max { $0.step < $1.step })
        var bytes = try Data(contentsOf: URL(fileURLWithPath: newest.path))
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: newest.path))

        let resumed = try CLI.run(["run", "--resume", run.id, "--store", interrupted])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("checkpoint at step \(newest.step) refused"), "\(resumed.stderr)")
        #expect(resumed.stdout.contains("finished after 60 steps"))

        let referenceStore = try RunStore.openExisting(path: reference)
        let referenceRun = try #require(try referenceStore.listRuns().first?.run)
        #expect(try metricRows(store, run.id) == metricRows(referenceStore, referenceRun.id))
        let a = try finalWeights(store, run.id)
        let b = try finalWeights(referenceStore, referenceRun.id)
        #expect(!a.isEmpty && a == b)
    }

    @Test func badConfigsNameThePath() throws {
        let folder = try CLI.temporaryDirectory()
        let config = folder.appendingPathComponent("bad.json")
        try Data(#"{"name": "x", "dataset": {"kind": "sudoku"}, "training": {"lr": "fast", "bacth_size": 3}}"#.utf8).write(to: config)
        let result = try CLI.run(["validate", config.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("training.lr"))
        #expect(result.stderr.contains("training.bacth_size"))
        #expect(result.stderr.contains("batch_size"))
        let run = try CLI.run(["run", config.path, "--store", folder.appendingPathComponent("s.sqlite").path])
        #expect(run.status == 1 && run.stderr.contains("training.lr"))
    }

    @Test func aCurriculumThatAdmitsNoPuzzleStopsWithItsWindow() throws {
        let folder = try CLI.temporaryDirectory()
        let run = try CLI.run([
            "run", "experiments/smoke.json", "--store", folder.appendingPathComponent("s.sqlite").path, "--quiet",
            "--set", #"training.curriculum={"steps": 10, "start": [900, 1000]}"#,
        ])
        #expect(run.status == 1)
        #expect(run.stderr.contains("difficulty 900–1000, the window training.curriculum sets at step 0"), "\(run.stderr)")
    }

    @Test func readersSeeConsistentDataWhileARunWrites() async throws {
        let folder = try CLI.temporaryDirectory()
        let store = folder.appendingPathComponent("trm.sqlite").path
        let (process, _, errors) = try CLI.start(["run", "experiments/smoke.json", "--store", store, "--quiet", "--set", "training.log_every=1"])
        var observations = 0
        while process.isRunning {
            try await Task.sleep(for: .milliseconds(20))
            guard FileManager.default.fileExists(atPath: store) else { continue }
            // A second process lists the runs while the first one writes.
            let listing = try CLI.run(["runs", "--store", store])
            if listing.status == 0 && listing.stdout.contains("smoke") { observations += 1 }
            if let reader = try? RunStore.openExisting(path: store), let run = try? reader.listRuns().first?.run {
                // Every logged step is complete: all its keys arrived in the same transaction.
                let byStep = Dictionary(grouping: try reader.metrics(run: run.id, split: "train"), by: \.step)
                for (_, rows) in byStep { #expect(rows.filter { $0.key == "loss" }.count == 1 && rows.contains { $0.key == "lr" }) }
            }
        }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(observations > 0)
    }
}

@Suite(.serialized) struct InterruptTests {
    @Test func ctrlCCheckpointsMarksInterruptedAndResumes() async throws {
        let folder = try CLI.temporaryDirectory()
        let path = folder.appendingPathComponent("trm.sqlite").path
        // Long enough that the signal always lands mid-run.
        let (process, out, _) = try CLI.start([
            "run", "experiments/smoke.json", "--store", path, "--quiet", "--set", "checkpointing.every=10", "--set", "training.steps=1000",
        ])
        #expect(CLI.waitForCheckpoints(in: path, count: 1, of: process) != nil, "no checkpoint before the run ended")
        kill(process.processIdentifier, SIGINT)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(stdout)")
        let store = try RunStore.openExisting(path: path)
        let run = try #require(try store.listRuns().first?.run)
        #expect(run.status == .interrupted && run.steps_done < 1000)
        // The step it stopped at has its checkpoint, so nothing trained is lost.
        #expect(try store.checkpoints(run: run.id).map(\.step).contains(run.steps_done))
        let resumed = try CLI.run(["run", "--resume", run.id, "--store", path, "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try store.run(id: run.id).status == .finished)
    }
}

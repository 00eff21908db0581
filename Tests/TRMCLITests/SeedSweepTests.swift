import Foundation
import TRMExperiment
import Testing

extension RunLifecycleTests {
    /// `trm-exp run CONFIG --seeds …` end to end on `experiments/smoke.json`: one run per seed in one
    /// group, listed and compared as mean ± sample standard deviation; each run resumes on its own.
    /// Nested in the serialized lifecycle suite so these trainings never compete for the cores with
    /// its kill test, which must catch a run between two checkpoints.
    @Suite struct SeedSweeps {
        /// The cells of the Markdown table row whose first cell is `label`.
        private func markdownRow(_ markdown: String, _ label: String) -> [String]? {
            markdown.split(separator: "\n").map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
                .first { $0.first == label }
        }

        /// Mean and sample standard deviation (n − 1), computed here rather than by the code under test.
        private func meanStd(_ values: [Double]) -> String {
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
            return String(format: "%.4f ± %.4f", mean, variance.squareRoot())
        }

        @Test func threeSeedsMakeOneGroupThatCompareSummarises() throws {
            let folder = try CLI.temporaryDirectory()
            let path = folder.appendingPathComponent("trm.sqlite").path
            let sweep = try CLI.run([
                "run", "experiments/smoke.json", "--seeds", "0,1,2", "--store", path, "--quiet", "--set", "training.steps=30",
            ])
            #expect(sweep.status == 0, "\(sweep.stderr)")
            #expect(sweep.stdout.contains("group smoke: 3 runs"))

            let store = try RunStore.openExisting(path: path)
            let runs = try store.runs(inGroup: "smoke")
            #expect(runs.map(\.name) == ["smoke-s0", "smoke-s1", "smoke-s2"])
            #expect(runs.map(\.seed) == [0, 1, 2] && runs.allSatisfy { $0.status == .finished && $0.steps_done == 30 })
            #expect(Set(runs.map(\.config_hash)).count == 3)
            let listing = try CLI.run(["runs", "--store", path])
            #expect(listing.stdout.split(separator: "\n").filter { $0.contains("smoke-s") && $0.contains(" smoke ") }.count == 3)

            // The group's final token accuracy and accuracy at K = 1 are the mean ± sample sd of the runs' own values.
            let tokenAccuracy = try runs.map { try #require(store.metrics(run: $0.id, split: "test", key: "accuracy").last).value }
            let atK1 = try runs.map { try #require(store.kAccuracy(run: $0.id).first).token_acc }
            #expect(Set(tokenAccuracy).count > 1, "seeds should train differently: \(tokenAccuracy)")
            let compare = try CLI.run(["compare", "smoke", "--markdown", "--store", path])
            #expect(compare.status == 0, "\(compare.stderr)")
            #expect(compare.stdout.contains("group smoke (3 runs)"))
            #expect(markdownRow(compare.stdout, "test/accuracy")?[1] == meanStd(tokenAccuracy), "\(compare.stdout)")
            #expect(markdownRow(compare.stdout, "1")?[2] == meanStd(atK1))

            // The learning report finds the group by its name and prints the same spread, in percent.
            let reference = folder.appendingPathComponent("reference.json")
            try Data(
                #"""
                {"source": "test", "targets": {"exact_margin_points": 2, "time_ratio": 0.5}, "recipes": [{"recipe": "smoke", "run": "smoke",
                 "config": "experiments/smoke.json", "exact_percent": 0, "token_percent": 50, "wall_time_minutes": 1, "exact_target": "above"}]}
                """#.utf8
            ).write(to: reference)
            let report = try CLI.run(["compare", "--reference", reference.path, "--store", path, "--markdown"])
            #expect(report.status == 0, "\(report.stderr)")
            let mean = tokenAccuracy.reduce(0, +) / 3 * 100
            #expect(markdownRow(report.stdout, "smoke")?[1] == "group smoke (3 runs)")
            #expect(markdownRow(report.stdout, "smoke")?[3].contains(String(format: "(%.1f ± ", mean)) == true, "\(report.stdout)")
            #expect(try CLI.run(["compare", "--reference", reference.path, "smoke", "--store", path]).status == 64)
        }

        @Test func anInterruptedSeedStopsTheSweepAndResumesAlone() async throws {
            let folder = try CLI.temporaryDirectory()
            let path = folder.appendingPathComponent("trm.sqlite").path
            // Long enough that the signal lands during the first seed's run.
            let (process, out, _) = try CLI.start([
                "run", "experiments/smoke.json", "--seeds", "4,5", "--group", "pair", "--store", path, "--quiet",
                "--set", "training.steps=200", "--set", "checkpointing.every=10",
            ])
            #expect(CLI.waitForCheckpoints(in: path, count: 1, of: process) != nil, "no checkpoint before the first seed ended")
            kill(process.processIdentifier, SIGINT)
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 130, "\(stdout)")
            #expect(stdout.contains("smoke-s4: interrupted") && stdout.contains("seeds 5 not started"), "\(stdout)")

            let store = try RunStore.openExisting(path: path)
            #expect(try store.runs(inGroup: "pair").map(\.name) == ["smoke-s4"])
            let resumed = try CLI.run(["run", "--resume", "smoke-s4", "--store", path, "--quiet"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let run = try store.resolveRun("smoke-s4")
            #expect(run.status == .finished && run.steps_done == 200 && run.group_name == "pair" && run.seed == 4)
        }
    }
}

import Foundation
import Testing

@testable import TRMExperiment

/// The learning report: which runs it picks for each recipe, the spread it prints and the targets it judges.
@Suite struct ReferenceComparisonTests {
    /// The committed reference file.
    static let referenceFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("experiments/reference/reference-results.json")

    /// Records a finished (or other) run with test metrics at steps 50 and 100 and the given wall time.
    @discardableResult
    private func record(
        _ store: RunStore, name: String, group: String? = nil, seed: Int = 0, exact: Double, token: Double, minutes: Double,
        startedAt: Double, status: RunStatus = .finished
    ) throws -> RunRecord {
        let start = Date(timeIntervalSince1970: startedAt)
        let overrides = ["seed=\(seed)"] + (group.map { ["group=\($0)"] } ?? [])
        let run = try store.createRun(for: try experiment(name, overrides: overrides), startedAt: start)
        // An earlier, better evaluation: the report must take the last one, not the best.
        try store.logMetrics(
            run: run.id,
            [
                MetricPoint(step: 50, split: "test", key: "exact_accuracy", value: 1, time: start),
                MetricPoint(step: 50, split: "test", key: "accuracy", value: 1, time: start),
                MetricPoint(step: 100, split: "test", key: "exact_accuracy", value: exact, time: start),
                MetricPoint(step: 100, split: "test", key: "accuracy", value: token, time: start),
            ])
        if status != .running { try store.updateStatus(run: run.id, status, stepsDone: 100, at: start + minutes * 60) }
        return run
    }

    private func row(_ table: ReportTable, run: String) throws -> [String: String] {
        let cells = try #require(table.rows.first { $0[1] == run || $0[1].hasPrefix("\(run) (") || $0[1].hasPrefix("group \(run) (") })
        return Dictionary(uniqueKeysWithValues: zip(table.headers, cells))
    }

    @Test func theCommittedFileHoldsTheFourReferenceRecipes() throws {
        let results = try ReferenceResults.load(contentsOf: Self.referenceFile)
        #expect(results.recipes.map(\.run) == ["r1-sudoku4", "r2-sudoku6", "r3-sudoku9", "r4-maze10"])
        #expect(results.recipes.map(\.exact_percent) == [99.8, 99.0, 53.8, 0.0])
        #expect(results.recipes.map(\.token_percent) == [100.0, 99.8, 95.0, 87.1])
        #expect(results.recipes.map(\.wall_time_minutes) == [4.7, 21, 35.8, 25.5])
        #expect(results.recipes.map(\.exact_target) == [.withinMargin, .withinMargin, .withinMargin, .above])
        #expect(results.recipes.compactMap { $0.also?.first?.run } == ["sudoku-mlp", "maze-mlp"])
        #expect(results.source.contains("PyTorch") && results.source.contains("2 threads"))
        #expect(results.targets == .init(exact_margin_points: 2, time_ratio: 0.5))
    }

    @Test func aBrokenFileSaysWhereItIsWrong() throws {
        let directory = try TemporaryDirectory()
        let url = directory.path("reference.json")
        try Data(#"{"source": "x", "targets": {"exact_margin_points": 2, "time_ratio": 0.5}, "recipes": [{"recipe": "R1"}]}"#.utf8).write(to: url)
        let error = #expect(throws: ReportError.self) { try ReferenceResults.load(contentsOf: url) }
        #expect(error?.description.contains("recipes[0]") == true, "\(String(describing: error))")
    }

    @Test func reportsSeedSpreadsSingleRunsTargetsAndMissingRuns() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("trm.sqlite").path
        let store = try RunStore(path: path)
        // R1: three seeds (an older attempt of seed 0 and a failed seed 3 must not count).
        try record(store, name: "r1-sudoku4-s0", group: "r1-sudoku4", seed: 0, exact: 0.10, token: 0.5, minutes: 9, startedAt: 1000)
        for (seed, exact, token, seconds) in [(0, 0.99, 1.0, 120.0), (1, 0.98, 0.99, 130), (2, 0.97, 0.995, 140)] {
            try record(
                store, name: "r1-sudoku4-s\(seed)", group: "r1-sudoku4", seed: seed, exact: exact, token: token, minutes: seconds / 60,
                startedAt: 2000 + Double(seed))
        }
        try record(store, name: "r1-sudoku4-s3", group: "r1-sudoku4", seed: 3, exact: 0, token: 0, minutes: 1, startedAt: 3000, status: .failed)
        // R2: one unseeded run, too slow and not accurate enough.
        try record(store, name: "r2-sudoku6", exact: 0.5, token: 0.9, minutes: 30, startedAt: 4000)
        // R4: its own recipe is still running; the better maze recipe beats an unsolved reference.
        try record(store, name: "r4-maze10", exact: 0.2, token: 0.9, minutes: 1, startedAt: 5000, status: .running)
        try record(store, name: "maze-mlp", exact: 0.004, token: 0.9, minutes: 10, startedAt: 6000)

        let report = try ReferenceComparison(results: try ReferenceResults.load(contentsOf: Self.referenceFile), storePath: path)
        let table = report.table
        #expect(table.rows.count == 6)

        let r1 = try row(table, run: "r1-sudoku4")
        #expect(r1["run"] == "group r1-sudoku4 (3 runs)")
        #expect(r1["reference exact % (token %)"] == "99.8 (100.0)")
        // Exact 99, 98, 97 %: mean 98, sample sd 1; token 100, 99, 99.5 %: mean 99.5, sd 0.5.
        #expect(r1["ours exact % (token %)"] == "98.0 ± 1.0 (99.5 ± 0.5)")
        // 120, 130, 140 s: mean 130 s = 2.17 min, sd 10 s = 0.17 min; half of 4.7 min is 2.35.
        #expect(r1["our time"] == "2.17 ± 0.17 min" && r1["reference time"] == "4.7 min")
        #expect(r1["targets"] == "✓ exact ≥ 97.8, ✓ time ≤ 2.35 min")

        let r2 = try row(table, run: "r2-sudoku6")
        #expect(r2["ours exact % (token %)"] == "50.0 (90.0)" && r2["reference time"] == "~21 min")
        #expect(r2["targets"] == "✗ exact ≥ 97.0, ✗ time ≤ 10.5 min")

        for missing in ["r3-sudoku9", "sudoku-mlp", "r4-maze10"] {
            let line = try row(table, run: missing)
            #expect(line["ours exact % (token %)"] == "not run")
            #expect(
                line["targets"]?.hasPrefix("trm-exp run experiments/") == true && line["targets"]?.contains("--seeds 0,1,2 --store \(path)") == true)
        }
        #expect(try row(table, run: "r3-sudoku9")["targets"]?.contains("experiments/reference/r3_sudoku9.json") == true)

        let maze = try row(table, run: "maze-mlp")
        #expect(maze["recipe"] == "↳ ours, better recipe" && maze["reference exact % (token %)"] == "0.0 (87.1)")
        #expect(maze["targets"] == "✓ exact > 0.0, ✓ time ≤ 12.75 min")

        #expect(report.html().contains("<td class=\"num\">98.0 ± 1.0 (99.5 ± 0.5)</td>"))
        #expect(table.markdown.contains("| R1 4×4 Sudoku, mlp_t hidden 64, 1,500 steps | group r1-sudoku4 (3 runs) |"))
    }

    @Test func aNewerSingleRunOfTheNameWinsOverAnOlderGroup() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        try record(store, name: "r1-sudoku4-s0", group: "r1-sudoku4", exact: 0.9, token: 1, minutes: 1, startedAt: 1000)
        let single = try record(store, name: "r1-sudoku4", exact: 0.8, token: 1, minutes: 1, startedAt: 2000)
        guard case .run(let summary) = try ReferenceComparison.latestFinished("r1-sudoku4", store: store) else {
            Issue.record("expected the single run")
            return
        }
        #expect(summary.run.id == single.id)
        try record(store, name: "r1-sudoku4-s1", group: "r1-sudoku4", seed: 1, exact: 0.9, token: 1, minutes: 1, startedAt: 3000)
        #expect(try ReferenceComparison.latestFinished("r1-sudoku4", store: store)?.runs.count == 2)
        #expect(try ReferenceComparison.latestFinished("nothing", store: store) == nil)
    }

    @Test func withoutAStoreEveryRecipeIsNotRun() throws {
        let report = try ReferenceComparison(
            results: try ReferenceResults.load(contentsOf: Self.referenceFile), storePath: RunStore.defaultPath + ".absent")
        #expect(report.lines.allSatisfy { $0.subject == nil })
        #expect(report.table.rows.allSatisfy { $0[3] == "not run" })
    }
}

import Foundation
import Testing

@testable import TRMExperiment

@Suite struct RunProgressTests {
    @Test func progressFollowsMetricsAndTheRecordedLength() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let fixed = try store.createRun(for: try experiment("fixed", overrides: ["training.steps=200"]))
        let epochs = try store.createRun(for: try experiment("epochs"))
        #expect(try store.progress()[fixed.id] == RunProgress(step: 0, totalSteps: 200))
        #expect(try store.progress()[epochs.id]?.totalSteps == nil)
        #expect(try store.progress()[epochs.id]?.fraction == nil)

        // Metrics move the step between checkpoints; a checkpoint further on wins.
        try store.logMetrics(run: fixed.id, [MetricPoint(step: 50, split: "train", key: "loss", value: 1)])
        #expect(try store.progress()[fixed.id]?.step == 50)
        #expect(try store.progress()[fixed.id]?.fraction == 0.25)
        try store.updateStatus(run: fixed.id, .running, stepsDone: 80)
        #expect(try store.progress()[fixed.id]?.step == 80)
        // Only the training loss marks progress (an evaluation may log at any step), and a
        // stopped run is where its record says.
        try store.logMetrics(run: fixed.id, [MetricPoint(step: 150, split: "eval", key: "exact_accuracy", value: 0)])
        #expect(try store.progress()[fixed.id]?.step == 80)
        try store.logMetrics(run: fixed.id, [MetricPoint(step: 120, split: "train", key: "loss", value: 1)])
        #expect(try store.progress()[fixed.id]?.step == 120)
        try store.updateStatus(run: fixed.id, .interrupted, stepsDone: 100)
        #expect(try store.progress()[fixed.id] == RunProgress(step: 100, totalSteps: 200))

        // The length the runner records covers epoch-based configs.
        try store.setParams(run: epochs.id, [RunProgress.totalStepsKey: "40"])
        try store.logMetrics(run: epochs.id, [MetricPoint(step: 60, split: "train", key: "loss", value: 1)])
        #expect(try store.progress()[epochs.id] == RunProgress(step: 60, totalSteps: 40))
        #expect(try store.progress()[epochs.id]?.fraction == 1)
    }

    @Test func kEvaluationsListStepsPerSplit() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let run = try store.createRun(for: try experiment("k"))
        #expect(try store.kEvaluations(run: run.id).isEmpty)
        func accuracy(_ step: Int, _ split: String) -> [KAccuracyRecord] {
            [KAccuracyRecord(run_id: run.id, eval_step: step, k: 1, token_acc: 0.5, exact_acc: 0.1, split: split)]
        }
        for (step, split) in [(20, "test"), (10, "test"), (20, "eval")] {
            try store.recordKStatistics(run: run.id, evalStep: step, split: split, accuracy: accuracy(step, split), halting: [], examples: [])
        }
        #expect(try store.kEvaluations(run: run.id) == ["test": [10, 20], "eval": [20]])
    }
}

import Foundation
import Testing

/// `trm-exp eval` on a maze run: the wrong answers are sorted by kind, and they add up to the
/// examples the loss head counts as unsolved.
@Suite struct MazeEvalTests {
    @Test func evalSortsAMazeRunsWrongAnswersByKind() throws {
        let folder = try CLI.temporaryDirectory()
        let store = folder.appendingPathComponent("trm.sqlite").path
        var config = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.repository.appendingPathComponent("experiments/smoke.json")))
                as? [String: Any])
        config["name"] = "maze-eval"
        config["dataset"] = ["kind": "maze", "source": "generate", "grid_size": 6, "min_path_length": 4, "train_count": 64, "test_count": 24]
        let path = folder.appendingPathComponent("maze.json").path
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
        let run = try CLI.run(["run", path, "--store", store, "--quiet", "--set", "training.steps=20"])
        try #require(run.status == 0, "\(run.stderr)")

        let eval = try CLI.run(["eval", "maze-eval", "--store", store, "--json"])
        try #require(eval.status == 0, "\(eval.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        let kinds = try #require(report["wrong_maze_answers"] as? [String: Int])
        #expect(Set(kinds.keys) == ["other_shortest_path", "longer_path", "not_a_path", "maze_changed"])
        let examples = try #require(report["examples"] as? Int)
        let exact = try #require((report["metrics"] as? [String: Any])?["exact_accuracy"] as? Double)
        #expect(kinds.values.reduce(0, +) == examples - Int((exact * Double(examples)).rounded()))

        let text = try CLI.run(["eval", "maze-eval", "--store", store])
        #expect(text.status == 0 && text.stdout.contains("Wrong answers at K = ") && text.stdout.contains("another shortest path"))
    }
}

import Foundation
import TRMData
import Testing

@testable import TRMExperiment

/// `dataset.source: "arc-folder"`: one folder of per-task JSON files per subset builds the same
/// dataset as the Kaggle combined files of `arc-json`.
@Suite struct ARCFolderSourceTests {
    /// Three small tasks: two in "training", one in "evaluation" (subset → id → task object).
    let tasks: [String: [String: [String: Any]]] = [
        "training": [
            "t1": ["train": [["input": [[1, 2], [3, 4]], "output": [[4, 3], [2, 1]]]], "test": [["input": [[5, 6]], "output": [[6, 5]]]]],
            "t2": ["train": [["input": [[7]], "output": [[7, 7]]]], "test": [["input": [[8]], "output": [[8, 8]]]]],
        ],
        "evaluation": ["e1": ["train": [["input": [[1, 0]], "output": [[0, 1]]]], "test": [["input": [[2, 0, 3]], "output": [[3, 0, 2]]]]]],
    ]

    func write(_ object: Any, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: url)
    }

    func config(_ source: String, _ path: URL) throws -> DatasetConfig {
        let text = """
            {"name": "a", "dataset": {"kind": "arc", "source": "\(source)", "path": "\(path.path)", "subsets": ["training"],
             "test_set": "evaluation", "augmentation": {"num_aug": 2}}}
            """
        return try ExperimentConfig.resolve(Data(text.utf8)).config.dataset
    }

    @Test func taskFoldersBuildWhatCombinedFilesBuild() throws {
        let folder = try TemporaryDirectory()
        for (subset, byID) in tasks {
            var challenges: [String: Any] = [:], solutions: [String: Any] = [:]
            for (id, task) in byID {
                try write(task, to: folder.path("tasks/\(subset)/\(id).json"))
                let tests = task["test"] as! [[String: Any]]
                challenges[id] = ["train": task["train"]!, "test": tests.map { ["input": $0["input"]!] }]
                solutions[id] = tests.map { $0["output"]! }
            }
            try write(challenges, to: folder.path("kaggle/arc-agi_\(subset)_challenges.json"))
            try write(solutions, to: folder.path("kaggle/arc-agi_\(subset)_solutions.json"))
        }
        let fromFolders = try DatasetPreparation.recipe(for: try config("arc-folder", folder.path("tasks")), seed: 5).build().dataset
        let fromCombined = try DatasetPreparation.recipe(for: try config("arc-json", folder.path("kaggle")), seed: 5).build().dataset
        #expect(fromFolders == fromCombined)
        // Training: both training tasks whole, the evaluation task's demonstration; test: its test pair.
        #expect(fromFolders.train.groupCount == 3 && fromFolders.test.groupCount == 1)
        #expect(fromFolders.test.exampleCount == fromFolders.test.puzzleCount)
        #expect(ARCEncoding.crop(fromFolders.test.input(0)).cells.sorted() == [0, 2, 3])

        // A subset without its folder is named with the field to fix.
        try FileManager.default.removeItem(at: folder.path("tasks/evaluation"))
        #expect {
            try DatasetPreparation.recipe(for: try config("arc-folder", folder.path("tasks")), seed: 5)
        } throws: { error in
            let text = "\(error)"
            return text.contains("dataset.path") && text.contains("evaluation")
        }
    }
}

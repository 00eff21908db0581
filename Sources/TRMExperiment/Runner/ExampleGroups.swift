import TRMData

/// The group each evaluated example belongs to, for K statistics by group: the ARC task (its
/// augmented copies share the original task's id); nil for kinds without such groups.
enum ExampleGroups {
    /// One label per example of `split` (from `dataset`'s identifiers), or nil unless ARC.
    static func labels(kind: DatasetKind, dataset: PuzzleDataset, split: PuzzleSplit) -> [String?]? {
        guard kind == .arc else { return nil }
        return (0..<split.exampleCount).map { example in
            let identifier = Int(split.puzzleIdentifiers[split.puzzle(ofExample: example)])
            guard identifier > 0, identifier < dataset.identifiers.count else { return nil }
            return ARCAugmentation.parse(puzzleName: dataset.identifiers[identifier])?.taskID
        }
    }
}

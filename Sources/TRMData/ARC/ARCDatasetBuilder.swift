import Dispatch
import Foundation
import TRMCore

/// Options of the reference ARC builder (`build_arc_dataset.py`).
public struct ARCBuildOptions: Codable, Sendable, Equatable {
    /// Subset names whose test pairs form the test split (their demonstrations still train).
    public var testSetNames: [String]
    /// Accepted augmented copies per task (up to 5·numAug draws).
    public var numAug: Int
    /// Seed of all draws (task order, augmentations, translations).
    public var seed: UInt64
    /// First identifier id given to a puzzle name.
    public var puzzleIdentifiersStart: Int
    /// Copies draw one of the 8 rotations and reflections (the reference does).
    public var dihedral: Bool
    /// Copies permute colours 1…9, colour 0 fixed (the reference does).
    public var permuteColours: Bool
    /// Training pairs, all but one per puzzle, are shifted to a random place on the 30×30 canvas
    /// (the reference does); off, every grid sits at the top-left corner. Test pairs never move.
    public var translate: Bool

    /// Creates options (reference defaults: 1000 copies, seed 42, ids from 1, every augmentation on).
    public init(
        testSetNames: [String] = ["evaluation"], numAug: Int = 1000, seed: UInt64 = 42, puzzleIdentifiersStart: Int = 1,
        dihedral: Bool = true, permuteColours: Bool = true, translate: Bool = true
    ) {
        self.testSetNames = testSetNames
        self.numAug = numAug
        self.seed = seed
        self.puzzleIdentifiersStart = puzzleIdentifiersStart
        self.dihedral = dihedral
        self.permuteColours = permuteColours
        self.translate = translate
    }

    private enum CodingKeys: String, CodingKey {
        case testSetNames, numAug, seed, puzzleIdentifiersStart, dihedral, permuteColours, translate
    }

    /// Reads options; a missing switch means on, as before the switches existed.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            testSetNames: try c.decode([String].self, forKey: .testSetNames), numAug: try c.decode(Int.self, forKey: .numAug),
            seed: try c.decode(UInt64.self, forKey: .seed), puzzleIdentifiersStart: try c.decode(Int.self, forKey: .puzzleIdentifiersStart),
            dihedral: try c.decodeSwitch(forKey: .dihedral),
            permuteColours: try c.decodeSwitch(forKey: .permuteColours),
            translate: try c.decodeSwitch(forKey: .translate))
    }

    /// Writes options; switches that are on are left out, so cache keys of existing recipes stay the same.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(testSetNames, forKey: .testSetNames)
        try c.encode(numAug, forKey: .numAug)
        try c.encode(seed, forKey: .seed)
        try c.encode(puzzleIdentifiersStart, forKey: .puzzleIdentifiersStart)
        try c.encodeSwitch(dihedral, forKey: .dihedral)
        try c.encodeSwitch(permuteColours, forKey: .permuteColours)
        try c.encodeSwitch(translate, forKey: .translate)
    }
}

/// Builds the reference's ARC dataset: routing of pairs, dihedral + colour augmentation with
/// duplicate rejection by task hash, identifiers, translation on the 30×30 canvas with EOS marks.
public enum ARCDatasetBuilder {
    /// Augmented copies of `task` (the original first), rejecting draws whose task hash repeats.
    /// Each draw is the reference's; a switched-off part is then reset to the identity (so with
    /// both off every draw repeats the original and only the original is returned).
    public static func augmentations(
        of task: ARCTask, numAug: Int, dihedral: Bool = true, permuteColours: Bool = true, using rng: inout RandomGenerator
    ) -> [ARCAugmentation] {
        var accepted: [ARCAugmentation] = [.identity]
        guard numAug > 0 else { return accepted }
        var seen: Set<String> = [task.referenceHash]
        var draws = 0
        while accepted.count <= numAug && draws < 5 * numAug {
            draws += 1
            var aug = ARCAugmentation.random(using: &rng)
            if !dihedral { aug.dihedral = 0 }
            if !permuteColours { aug.colourMap = ARCAugmentation.identity.colourMap }
            if seen.insert(aug.apply(task).referenceHash).inserted { accepted.append(aug) }
        }
        return accepted
    }

    /// Which pairs of a task a stored puzzle holds.
    private enum Part { case demonstrations, tests, all }

    /// A puzzle to be encoded: the transform is applied only when encoding, so memory holds one
    /// copy of each task, not ~1,000.
    private struct PendingPuzzle {
        var name: String
        var task: Int
        var augmentation: ARCAugmentation
        var part: Part
    }

    /// Builds from subsets in the given order; tasks of subsets named in `testSetNames` send their
    /// test pairs to the test split. Missing test outputs become the dummy grid [[0]].
    public static func build(subsets: [(name: String, tasks: [ARCTask])], options: ARCBuildOptions) -> PuzzleDataset {
        var rng = RandomGenerator.derived(seed: options.seed, stream: 0xA4C)
        let dummy = ARCGrid(rows: 1, columns: 1, cells: [0])
        var splitOrder: [String] = []
        var groups: [String: [[PendingPuzzle]]] = [:]
        var testPuzzles: [String: Any] = [:]
        func add(_ split: String, _ group: [PendingPuzzle]) {
            if groups[split] == nil { splitOrder.append(split); groups[split] = [] }
            groups[split]!.append(group)
        }
        var allTasks: [ARCTask] = []
        for (subsetIndex, subset) in subsets.enumerated() {
            var tasks = subset.tasks
            tasks.shuffle(using: &rng)
            for t in tasks.indices {
                for i in tasks[t].test.indices where tasks[t].test[i].output == nil { tasks[t].test[i].output = dummy }
            }
            // Each task searches its copies with its own generator, derived from (seed, subset,
            // position), so tasks run in parallel and the result does not depend on thread count.
            let found = ParallelResults<[ARCAugmentation]>(count: tasks.count)
            let frozen = tasks
            DispatchQueue.concurrentPerform(iterations: frozen.count) { t in
                var taskRNG = RandomGenerator.derived(seed: options.seed, stream: UInt64(subsetIndex) << 32 | UInt64(t))
                found.set(
                    t,
                    augmentations(
                        of: frozen[t], numAug: options.numAug, dihedral: options.dihedral, permuteColours: options.permuteColours, using: &taskRNG))
            }
            let isTest = options.testSetNames.contains(subset.name)
            for (t, task) in tasks.enumerated() {
                let index = allTasks.count
                allTasks.append(task)
                let augs = found.get(t)!
                func puzzles(_ part: Part) -> [PendingPuzzle] {
                    augs.map { PendingPuzzle(name: task.id + $0.nameSuffix, task: index, augmentation: $0, part: part) }
                }
                if isTest {
                    testPuzzles[task.id] = task.jsonObject
                    add("test", puzzles(.tests))
                    add("train", puzzles(.demonstrations))
                } else {
                    add("train", puzzles(.all))
                }
            }
        }
        // Identifiers: walk splits in creation order, groups in order, names in order.
        var identifiers = ["<blank>"] + Array(repeating: "", count: max(0, options.puzzleIdentifiersStart - 1))
        var idOf: [String: Int32] = [:]
        for split in splitOrder {
            for group in groups[split]! {
                for p in group where idOf[p.name] == nil {
                    idOf[p.name] = Int32(identifiers.count)
                    identifiers.append(p.name)
                }
            }
        }
        let numIdentifiers = identifiers.count
        func encode(_ split: String, translate: Bool) -> PuzzleSplit {
            var b = SplitBuilder(seqLen: ARCEncoding.side * ARCEncoding.side)
            var examples = 0
            for group in groups[split] ?? [] {
                for puzzle in group {
                    let task = allTasks[puzzle.task]
                    switch puzzle.part {
                    case .demonstrations: examples += task.train.count
                    case .tests: examples += task.test.count
                    case .all: examples += task.train.count + task.test.count
                    }
                }
            }
            b.inputs.reserveCapacity(examples * b.seqLen)
            b.labels.reserveCapacity(examples * b.seqLen)
            for group in groups[split] ?? [] {
                for puzzle in group {
                    let task = allTasks[puzzle.task]
                    let source: [ARCPair]
                    switch puzzle.part {
                    case .demonstrations: source = task.train
                    case .tests: source = task.test
                    case .all: source = task.train + task.test
                    }
                    let aug = puzzle.augmentation
                    let pairs = aug == .identity ? source : source.map { ARCPair(input: aug.apply($0.input), output: $0.output.map(aug.apply)) }
                    let noAug = Int(rng.next() % UInt64(max(1, pairs.count)))
                    for (i, pair) in pairs.enumerated() {
                        let output = pair.output ?? dummy
                        var dr = 0, dc = 0
                        if translate && i != noAug {
                            dr = Int(rng.next() % UInt64(ARCEncoding.side - max(pair.input.rows, output.rows) + 1))
                            dc = Int(rng.next() % UInt64(ARCEncoding.side - max(pair.input.columns, output.columns) + 1))
                        }
                        b.addExample(
                            input: ARCEncoding.encode(pair.input, rowOffset: dr, columnOffset: dc),
                            label: ARCEncoding.encode(output, rowOffset: dr, columnOffset: dc), difficulty: nil)
                    }
                    b.endPuzzle(identifier: idOf[puzzle.name]!)
                }
                b.endGroup()
            }
            return b.finish(vocabSize: ARCEncoding.vocabSize, numPuzzleIdentifiers: numIdentifiers, referenceCounts: false)
        }
        let train = encode("train", translate: options.translate)
        let test = encode("test", translate: false)
        let json = try? JSONSerialization.data(withJSONObject: testPuzzles, options: [.sortedKeys])
        return PuzzleDataset(identifiers: identifiers, train: train, test: test, testPuzzlesJSON: json)
    }

    /// Builds from Kaggle combined files `directory/<prefix>_<subset>_{challenges,solutions}.json`.
    public static func build(directory: URL, prefix: String = "arc-agi", subsets: [String], options: ARCBuildOptions) throws -> PuzzleDataset {
        try build(directory: directory, prefix: prefix, subsets: subsets, options: options, ingest: IngestOptions()).dataset
    }

    /// Builds from Kaggle combined files, with `ingest` deciding whether invalid tasks stop the
    /// build or are skipped; returns one report per subset.
    public static func build(
        directory: URL, prefix: String = "arc-agi", subsets: [String], options: ARCBuildOptions,
        ingest: IngestOptions
    ) throws -> (dataset: PuzzleDataset, reports: [IngestReport]) {
        var loaded: [(name: String, tasks: [ARCTask])] = []
        var reports: [IngestReport] = []
        for name in subsets {
            let (tasks, report) = try ARCLoader.loadSubset(directory: directory, prefix: prefix, name: name, options: ingest)
            loaded.append((name, tasks))
            reports.append(report)
        }
        return (build(subsets: loaded, options: options), reports)
    }
}

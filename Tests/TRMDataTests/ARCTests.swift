import Foundation
import TRMCore
import Testing

@testable import TRMData

@Suite struct ARCTests {
    @Test(arguments: [
        ("training", 400, 1302, 416), ("evaluation", 400, 1363, 419), ("training2", 1000, 3232, 1076),
        ("evaluation2", 120, 358, 172), ("concept", 160, 427, 480),
    ])
    func subsetsLoadWithTheSpecCounts(subset: (String, Int, Int, Int)) throws {
        let tasks = try ARCLoader.loadSubset(directory: TestData.arcDirectory, name: subset.0)
        #expect(tasks.count == subset.1)
        #expect(tasks.reduce(0) { $0 + $1.train.count } == subset.2)
        #expect(tasks.reduce(0) { $0 + $1.test.count } == subset.3)
        #expect(tasks.allSatisfy { $0.test.allSatisfy { $0.output != nil } })
        #expect(tasks.allSatisfy { ($0.train + $0.test).allSatisfy { $0.input.rows <= 30 && $0.input.columns <= 30 } })
    }

    @Test func perTaskFolderLoadsLikeTheCombinedFile() throws {
        let combined = try ARCLoader.loadSubset(directory: TestData.arcDirectory, name: "concept")
        let dir = TestData.temporaryDirectory().appendingPathComponent("concept")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for task in combined {
            try JSONSerialization.data(withJSONObject: task.jsonObject).write(to: dir.appendingPathComponent("\(task.id).json"))
        }
        let folder = try ARCLoader.loadFolder(dir)
        #expect(folder == combined)
        let built = ARCDatasetBuilder.build(
            subsets: [(name: "concept", tasks: folder)], options: ARCBuildOptions(testSetNames: ["concept"], numAug: 0))
        #expect(built.test.exampleCount == 480)
        #expect(built.train.exampleCount == 427)
    }

    func loadError(_ json: String) -> DatasetError? {
        let dir = TestData.temporaryDirectory()
        try? Data(json.utf8).write(to: dir.appendingPathComponent("abc12345.json"))
        do {
            _ = try ARCLoader.loadFolder(dir)
            return nil
        } catch let e as DatasetError {
            return e
        } catch {
            return nil
        }
    }

    @Test func badGridsAreNamedByFileTaskAndPair() throws {
        let ok = try #require(
            try ARCLoader.loadFolder(
                {
                    let dir = TestData.temporaryDirectory()
                    try Data("{\"train\": [{\"input\": [[1,2],[3,4]], \"output\": [[0]]}], \"test\": [{\"input\": [[5]]}]}".utf8).write(
                        to: dir.appendingPathComponent("abc12345.json"))
                    return dir
                }()
            ).first)
        #expect(ok.id == "abc12345")
        #expect(ok.test[0].output == nil)
        #expect(ok.train[0].input == ARCGrid([[1, 2], [3, 4]]))

        let ragged = loadError("{\"train\": [{\"input\": [[1,2],[3]], \"output\": [[0]]}], \"test\": []}")
        #expect(ragged?.file == "abc12345.json")
        #expect(ragged?.location == "task abc12345 train 0 input")
        if case .gridShape = ragged?.problem {} else { Issue.record("expected gridShape, got \(String(describing: ragged))") }
        let colour = loadError("{\"train\": [{\"input\": [[1]], \"output\": [[10]]}], \"test\": []}")
        #expect(colour?.problem == .colourOutOfRange(10))
        #expect(colour?.location == "task abc12345 train 0 output")
        let wide = "[" + Array(repeating: "0", count: 31).joined(separator: ",") + "]"
        if case .gridShape = loadError("{\"train\": [], \"test\": [{\"input\": [\(wide)]}]}")?.problem {
        } else {
            Issue.record("expected gridShape for 31 columns")
        }
        if case .malformed = loadError("{\"train\": []}")?.problem {} else { Issue.record("expected malformed for missing test list") }
        if case .malformed = loadError("{not json")?.problem {} else { Issue.record("expected malformed JSON") }

        // skipInvalid skips the bad task file and reports it.
        let dir = TestData.temporaryDirectory()
        try Data("{\"train\": [{\"input\": [[1]], \"output\": [[2]]}], \"test\": []}".utf8).write(to: dir.appendingPathComponent("good0001.json"))
        try Data("{\"train\": [{\"input\": [[1]], \"output\": [[12]]}], \"test\": []}".utf8).write(to: dir.appendingPathComponent("bad00001.json"))
        let (kept, report) = try ARCLoader.loadFolder(dir, options: IngestOptions(skipInvalid: true))
        #expect(kept.map(\.id) == ["good0001"])
        #expect(report.itemsSkipped == 1)
        #expect(report.firstErrors.first?.location == "task bad00001 train 0 output")
        #expect(throws: DatasetError.self) { try ARCLoader.loadFolder(dir) }
    }

    @Test func augmentationsAreValidAndInvertible() throws {
        let tasks = try ARCLoader.loadSubset(directory: TestData.arcDirectory, name: "evaluation")
        var rng = RandomGenerator(seed: 8)
        for task in tasks {
            let aug = ARCAugmentation.random(using: &rng)
            #expect(aug.colourMap[0] == 0)
            #expect(Set(aug.colourMap).count == 10)
            let moved = aug.apply(task)
            for (a, b) in zip(task.train + task.test, moved.train + moved.test) {
                #expect(aug.invert(b.input) == a.input)
                #expect(aug.invert(b.output!) == a.output!)
                #expect(b.input.cells.filter { $0 == 0 }.count == a.input.cells.filter { $0 == 0 }.count)
            }
            let name = task.id + aug.nameSuffix
            let parsed = try #require(ARCAugmentation.parse(puzzleName: name))
            #expect(parsed.taskID == task.id)
            #expect(parsed.augmentation == aug)
        }
        #expect(ARCAugmentation.parse(puzzleName: "8be77c9e|||t7|||0612397845")?.augmentation.dihedral == 7)
        // Task hash ignores pair order and sees any change.
        let t = tasks[0]
        let reordered = ARCTask(id: t.id, train: t.train.reversed(), test: t.test)
        #expect(reordered.referenceHash == t.referenceHash)
        let rotate = ARCAugmentation(dihedral: 2, colourMap: (0..<10).map { UInt8($0) })
        let asymmetric = try #require(tasks.first { task in task.train.contains { rotate.apply($0.input) != $0.input } })
        #expect(rotate.apply(asymmetric).referenceHash != asymmetric.referenceHash)
        // SHA-256 known answer.
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // A colour-0-and-one-colour symmetric task has few distinct variants: duplicates are rejected.
        let tiny = ARCTask(id: "tiny", train: [ARCPair(input: ARCGrid([[1]]), output: ARCGrid([[1]]))], test: [])
        var r2 = RandomGenerator(seed: 1)
        let augs = ARCDatasetBuilder.augmentations(of: tiny, numAug: 20, using: &r2)
        #expect(augs.count == 9)  // the original plus 8 other colours
        #expect(Set(augs.map { $0.apply(tiny).referenceHash }).count == augs.count)
    }

    @Test func encodingHasEOSFramesAndCropInverts() {
        let g = ARCGrid([[1, 2, 3], [4, 5, 6]])
        let tokens = ARCEncoding.encode(g)
        #expect(Array(tokens[0..<4]) == [3, 4, 5, 1])
        #expect(Array(tokens[30..<34]) == [6, 7, 8, 1])
        #expect(Array(tokens[60..<64]) == [1, 1, 1, 0])
        #expect(tokens.filter { $0 != 0 }.count == 6 + 3 + 2)
        #expect(ARCEncoding.crop(tokens) == g)
        let shifted = ARCEncoding.encode(g, rowOffset: 28, columnOffset: 26)
        #expect(shifted[28 * 30 + 29] == 1)  // EOS column fits, EOS row does not
        #expect(shifted.filter { $0 == 1 }.count == 2)
        let full = ARCGrid(rows: 30, columns: 30, cells: Array(repeating: 9, count: 900))
        #expect(ARCEncoding.encode(full).allSatisfy { $0 == 11 })
        #expect(ARCEncoding.crop(ARCEncoding.encode(full)) == full)
    }

    @Test func builderMatchesTheReferenceCounts() throws {
        let plain = try ARCDatasetBuilder.build(
            directory: TestData.arcDirectory, subsets: ["training", "evaluation", "concept"],
            options: ARCBuildOptions(testSetNames: ["evaluation"], numAug: 0))
        #expect(plain.train.groupCount == 960)
        #expect(plain.train.puzzleCount == 960)
        #expect(plain.train.exampleCount == 3988)
        #expect(plain.test.groupCount == 400)
        #expect(plain.test.exampleCount == 419)
        #expect(plain.identifiers.count == 961)
        #expect(plain.train.metadata.numPuzzleIdentifiers == 961)
        #expect(plain.test.metadata.numPuzzleIdentifiers == 961)
        #expect(abs(plain.train.metadata.meanPuzzleExamples - 3988.0 / 960.0) < 1e-12)
        try plain.train.validate()
        try plain.test.validate()

        let aug = try ARCDatasetBuilder.build(
            directory: TestData.arcDirectory, subsets: ["training", "evaluation", "concept"],
            options: ARCBuildOptions(testSetNames: ["evaluation"], numAug: 3, seed: 42))
        #expect(aug.train.puzzleCount == 3840)
        #expect(aug.train.exampleCount == 15952)
        #expect(aug.test.puzzleCount == 1600)
        #expect(aug.test.exampleCount == 1676)
        #expect(aug.identifiers.count == 3841)
        #expect(aug.train.metadata.totalPuzzles == 3840)
        #expect(aug.train.metadata.totalGroups == 960)
        // Every test puzzle name also names training data (the task's demonstrations).
        #expect(Set(aug.test.puzzleIdentifiers).isSubset(of: Set(aug.train.puzzleIdentifiers)))
        // Every example decodes to EOS-framed grids; translated ones still crop correctly when at the origin.
        var translated = 0
        for e in 0..<aug.train.exampleCount {
            let input = aug.train.input(e)
            #expect(input.allSatisfy { $0 < 12 })
            if input.first! < 2 { translated += 1 }
        }
        #expect(translated > 0)
        // Test examples are untranslated: crop + inverse recovers the original test inputs.
        let tasks = Dictionary(
            uniqueKeysWithValues: try ARCLoader.loadSubset(directory: TestData.arcDirectory, name: "evaluation").map { ($0.id, $0) })
        for p in stride(from: 0, to: aug.test.puzzleCount, by: 37) {
            let name = aug.identifiers[Int(aug.test.puzzleIdentifiers[p])]
            let (id, a) = try #require(ARCAugmentation.parse(puzzleName: name))
            let first = Int(aug.test.puzzleIndices[p])
            #expect(a.invert(ARCEncoding.crop(aug.test.input(first))) == tasks[id]!.test[0].input)
            #expect(a.invert(ARCEncoding.crop(aug.test.label(first))) == tasks[id]!.test[0].output)
        }
        // Round trip through the reference format, test_puzzles.json included.
        let scratch = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let dir = scratch.appendingPathComponent("arc")
        try ReferenceFormat.write(aug, to: dir)
        #expect(try ReferenceFormat.read(dir) == aug)
    }

    @Test func evaluatorVotesAndScores() throws {
        let ds = try ARCDatasetBuilder.build(
            directory: TestData.arcDirectory, subsets: ["evaluation2"],
            options: ARCBuildOptions(testSetNames: ["evaluation2"], numAug: 2, seed: 1))
        var perfect = try ARCEvaluator(dataset: ds)
        var wrong = try ARCEvaluator(dataset: ds)
        var mixed = try ARCEvaluator(dataset: ds)
        var batches = EvaluationBatches(split: ds.test, batchSize: 64)
        var k = 0
        while let batch = batches.next() {
            let truth = batch.labels.map { max(0, $0) }
            let logits = [Float](repeating: 0, count: 64)
            perfect.add(batch: batch, predictedTokens: truth, qHaltLogits: logits)
            wrong.add(batch: batch, predictedTokens: batch.inputs, qHaltLogits: logits)
            // Mixed: the truth only on every third batch, with high confidence; otherwise the input.
            mixed.add(
                batch: batch, predictedTokens: k % 3 == 0 ? truth : batch.inputs, qHaltLogits: [Float](repeating: k % 3 == 0 ? 5 : -5, count: 64))
            k += 1
        }
        let p = perfect.result()
        #expect(p.taskCount == 120)
        #expect(p.passAtK[1] == 1.0)
        #expect(p.predictionCount == ds.test.exampleCount)
        #expect(wrong.result().passAtK[1]! < 0.05)
        let m = mixed.result()
        #expect(m.passAtK[1]! <= m.passAtK[2]!)
        #expect(m.passAtK[2]! <= m.passAtK[1000]!)
        #expect(m.passAtK[1000]! > m.passAtK[1]! || m.passAtK[1] == 1)
        let sub = perfect.submission()
        #expect(sub.count == 120)
        let task = perfect.tasks[0]
        #expect(sub[task.id]?.count == task.test.count)
        #expect(sub[task.id]?[0]["attempt_1"] == task.test[0].output!.rowsList)
        let url = TestData.temporaryDirectory().appendingPathComponent("submission.json")
        try perfect.writeSubmission(to: url)
        let back = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        #expect(back?.count == 120)
    }

    /// One evaluation task's first test input and an evaluator over the evaluation2 test split.
    private func singleInputEvaluator() throws -> (ARCEvaluator, task: ARCTask, input: [UInt8], identifier: Int32) {
        let ds = try ARCDatasetBuilder.build(
            directory: TestData.arcDirectory, subsets: ["evaluation2"], options: ARCBuildOptions(testSetNames: ["evaluation2"], numAug: 0))
        let evaluator = try ARCEvaluator(dataset: ds)
        let identifier = ds.test.puzzleIdentifiers[0]
        let (id, _) = try #require(ARCAugmentation.parse(puzzleName: ds.identifiers[Int(identifier)]))
        let task = try #require(evaluator.tasks.first { $0.id == id })
        return (evaluator, task, Array(ds.test.input(Int(ds.test.puzzleIndices[0]))), identifier)
    }

    @Test func votesTieBreakOnMeanHaltingConfidenceAndAttemptsFollowTheRanking() throws {
        var (evaluator, task, input, identifier) = try singleInputEvaluator()
        let truth = try #require(task.test[0].output)
        let other = ARCGrid(rows: 1, columns: 1, cells: [truth.cells[0] == 7 ? 8 : 7])
        let attempts = { (e: ARCEvaluator) in try #require(e.submission()[task.id]?[0]) }
        // No prediction: both attempts are the [[0]] placeholder and nothing passes.
        #expect(try attempts(evaluator) == ["attempt_1": [[0]], "attempt_2": [[0]]])
        // An empty crop is never submitted, but (as in the reference) it stays a candidate for pass@K:
        // with the highest confidence it holds the first slot in every ranking below.
        evaluator.add(inputTokens: input, predictedTokens: [UInt8](repeating: 0, count: 900), puzzleIdentifier: identifier, qHaltLogit: 9)
        #expect(try attempts(evaluator)["attempt_1"] == [[0]])
        // One candidate: attempt_2 repeats attempt_1.
        evaluator.add(inputTokens: input, predictedTokens: ARCEncoding.encode(other), puzzleIdentifier: identifier, qHaltLogit: 2)
        #expect(try attempts(evaluator) == ["attempt_1": other.rowsList, "attempt_2": other.rowsList])
        // Two candidates with one vote each: the higher mean halting confidence (sigmoid q_halt) ranks first.
        var tied = evaluator
        tied.add(inputTokens: input, predictedTokens: ARCEncoding.encode(truth), puzzleIdentifier: identifier, qHaltLogit: 3)
        #expect(try attempts(tied) == ["attempt_1": truth.rowsList, "attempt_2": other.rowsList])
        let share = 1 / Double(task.test.count) / Double(tied.tasks.count)
        #expect(tied.result().passAtK[1] == 0 && abs(tied.result().passAtK[2]! - share) < 1e-12)
        var lowConfidence = evaluator
        lowConfidence.add(inputTokens: input, predictedTokens: ARCEncoding.encode(truth), puzzleIdentifier: identifier, qHaltLogit: 1)
        #expect(try attempts(lowConfidence) == ["attempt_1": other.rowsList, "attempt_2": truth.rowsList])
        #expect(lowConfidence.result().passAtK[2] == 0 && abs(lowConfidence.result().passAtK[5]! - share) < 1e-12)
        // Votes outrank confidence: two confident-less votes for the truth beat one confident wrong one.
        var outvoted = lowConfidence
        outvoted.add(inputTokens: input, predictedTokens: ARCEncoding.encode(truth), puzzleIdentifier: identifier, qHaltLogit: -4)
        #expect(try attempts(outvoted)["attempt_1"] == truth.rowsList)
    }

    /// Writes a combined challenges file (and a solutions file when given) and loads it.
    private func combinedError(challenges: String, solutions: String?) -> DatasetError? {
        let dir = TestData.temporaryDirectory()
        let ch = dir.appendingPathComponent("x_challenges.json"), so = dir.appendingPathComponent("x_solutions.json")
        try? Data(challenges.utf8).write(to: ch)
        if let solutions { try? Data(solutions.utf8).write(to: so) }
        do {
            _ = try ARCLoader.loadCombined(challenges: ch, solutions: solutions == nil ? nil : so)
            return nil
        } catch let e as DatasetError {
            return e
        } catch {
            return nil
        }
    }

    @Test func combinedFilesNameTheirErrors() {
        let task = "{\"t1\": {\"train\": [{\"input\": [[1]], \"output\": [[2]]}], \"test\": [{\"input\": [[3]]}]}}"
        #expect(combinedError(challenges: task, solutions: "{\"t1\": [[[4]]]}") == nil)
        // Two solution grids for one test input.
        let count = combinedError(challenges: task, solutions: "{\"t1\": [[[4]], [[5]]]}")
        #expect(count?.file == "x_solutions.json" && count?.location == "task t1")
        #expect(count?.problem == .malformed("expected 1 output grids, one per test input"))
        // A bad solution grid is named by its test pair.
        let colour = combinedError(challenges: task, solutions: "{\"t1\": [[[12]]]}")
        #expect(colour?.file == "x_solutions.json" && colour?.location == "task t1 test 0 output" && colour?.problem == .colourOutOfRange(12))
        // A bad grid in the challenges file.
        let ragged = combinedError(challenges: "{\"t2\": {\"train\": [{\"input\": [[1, 2], [3]], \"output\": [[2]]}], \"test\": []}}", solutions: nil)
        #expect(ragged?.file == "x_challenges.json" && ragged?.location == "task t2 train 0 input")
        if case .gridShape = ragged?.problem {} else { Issue.record("expected gridShape, got \(String(describing: ragged))") }
        // 31 rows is one too many for the 30×30 canvas.
        let tall = "[" + Array(repeating: "[0]", count: 31).joined(separator: ",") + "]"
        let over = combinedError(challenges: "{\"t3\": {\"train\": [], \"test\": [{\"input\": \(tall)}]}}", solutions: nil)
        #expect(over?.location == "task t3 test 0 input")
        if case .gridShape = over?.problem {} else { Issue.record("expected gridShape for 31 rows, got \(String(describing: over))") }
        let thirty = "[" + Array(repeating: "[0]", count: 30).joined(separator: ",") + "]"
        #expect(combinedError(challenges: "{\"t3\": {\"train\": [], \"test\": [{\"input\": \(thirty)}]}}", solutions: nil) == nil)
    }

    @Test func metadataUsesTheReferenceVocabularyAndIgnoreLabel() throws {
        let ds = try ARCDatasetBuilder.build(
            directory: TestData.arcDirectory, subsets: ["evaluation2"], options: ARCBuildOptions(testSetNames: ["evaluation2"], numAug: 0))
        for split in [ds.train, ds.test] {
            #expect(split.metadata.vocabSize == 12)
            #expect(split.metadata.ignoreLabelId == 0)
            #expect(split.metadata.seqLen == 900)
            #expect(split.inputs.allSatisfy { $0 < 12 } && split.labels.allSatisfy { $0 < 12 })
        }
    }
}

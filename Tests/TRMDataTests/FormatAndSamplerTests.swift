import Foundation
import TRMCore
import Testing

@testable import TRMData

@Suite struct FormatAndSamplerTests {
    func sudokuDataset(numAug: Int = 2) throws -> PuzzleDataset {
        let (records, _) = try SudokuCSV.load(TestData.sudokuSample)
        return SudokuDatasetBuilder.build(
            train: Array(records[0..<20]), test: Array(records[20...]),
            options: SudokuBuildOptions(numAug: numAug, seed: 1))
    }

    @Test func npyRoundTripsEveryIntegerWidth() throws {
        let values: [Int64] = [0, 1, 5, 200, 3, 7]
        for array in [
            NpyArray(uint8: values.map { UInt8($0) }, shape: [2, 3]),
            NpyArray(int32: values.map { Int32($0) }, shape: [2, 3]),
            NpyArray(int64: values, shape: [2, 3]),
        ] {
            let data = array.encoded()
            #expect((data.count - array.data.count) % 64 == 0)  // header padded to 64 bytes
            let back = try NpyArray.decode(data)
            #expect(back == array)
            #expect(try back.int64Values() == values)
            #expect(try back.uint8Values() == values.map { UInt8($0) })
        }
        // The streaming writer produces the same bytes as the in-memory encoder.
        let url = TestData.temporaryDirectory().appendingPathComponent("v.npy")
        try NpyArray.write(values.map { Int32($0) }, dtype: "<i4", shape: [2, 3], to: url)
        #expect(try Data(contentsOf: url) == NpyArray(int32: values.map { Int32($0) }, shape: [2, 3]).encoded())
        #expect(try NpyArray.read(url).int32Values() == values.map { Int32($0) })
        let header = String(decoding: NpyArray(int32: [1, 2], shape: [2]).encoded().prefix(80), as: UTF8.self)
        #expect(header.contains("'descr': '<i4', 'fortran_order': False, 'shape': (2,), }"))
        #expect(throws: NpyError.self) { try NpyArray.decode(Data("not numpy".utf8)) }
        #expect(throws: NpyError.self) { try NpyArray(int64: [300], shape: [1]).uint8Values() }
    }

    @Test func referenceFormatRoundTrips() throws {
        let ds = try sudokuDataset()
        let dir = TestData.temporaryDirectory().appendingPathComponent("sudoku")
        try ReferenceFormat.write(ds, to: dir)
        let back = try ReferenceFormat.read(dir)
        #expect(back == ds)
        let meta = try String(contentsOf: dir.appendingPathComponent("train/dataset.json"), encoding: .utf8)
        #expect(
            meta
                == "{\"pad_id\": 0, \"ignore_label_id\": 0, \"blank_identifier_id\": 0, \"vocab_size\": 11, \"seq_len\": 81, \"num_puzzle_identifiers\": 1, \"total_groups\": 20, \"mean_puzzle_examples\": 1.0, \"total_puzzles\": 20, \"sets\": [\"all\"]}"
        )
        #expect(try String(contentsOf: dir.appendingPathComponent("identifiers.json"), encoding: .utf8) == "[\"<blank>\"]")
        // Overwriting replaces atomically and leaves no temporary folders.
        try ReferenceFormat.write(ds, to: dir)
        let siblings = try FileManager.default.contentsOfDirectory(atPath: dir.deletingLastPathComponent().path)
        #expect(siblings == ["sudoku"])
    }

    @Test func readerAcceptsInt64ArraysAndOldMetadata() throws {
        let ds = try sudokuDataset()
        let dir = TestData.temporaryDirectory().appendingPathComponent("wide")
        try ReferenceFormat.write(ds, to: dir)
        // As the reference writes augmented Sudoku: int64 inputs/labels, and HRM's metadata lacks total_puzzles.
        let train = dir.appendingPathComponent("train")
        try NpyArray(int64: ds.train.inputs.map { Int64($0) }, shape: [ds.train.exampleCount, 81]).write(
            to: train.appendingPathComponent("all__inputs.npy"))
        try NpyArray(int64: ds.train.labels.map { Int64($0) }, shape: [ds.train.exampleCount, 81]).write(
            to: train.appendingPathComponent("all__labels.npy"))
        try FileManager.default.removeItem(at: train.appendingPathComponent("all__difficulty.npy"))
        try Data(
            "{\"pad_id\": 0, \"ignore_label_id\": null, \"blank_identifier_id\": 0, \"vocab_size\": 11, \"seq_len\": 81, \"num_puzzle_identifiers\": 1, \"total_groups\": 20, \"mean_puzzle_examples\": 1, \"sets\": [\"all\"]}"
                .utf8
        ).write(to: train.appendingPathComponent("dataset.json"))
        let back = try ReferenceFormat.readSplit(train)
        #expect(back.inputs == ds.train.inputs)
        #expect(back.labels == ds.train.labels)
        #expect(back.metadata.totalPuzzles == nil)
        #expect(back.metadata.ignoreLabelId == nil)
        #expect(back.difficulty == nil)
        // A missing array is named.
        try FileManager.default.removeItem(at: train.appendingPathComponent("all__group_indices.npy"))
        #expect(throws: DatasetError.self) { try ReferenceFormat.readSplit(train) }
        #expect(throws: DatasetUsageError.self) { try ReferenceFormat.read(TestData.temporaryDirectory()) }
    }

    /// A split with groups of different sizes and multi-example puzzles.
    func irregularSplit() -> PuzzleSplit {
        var b = SplitBuilder(seqLen: 3)
        var id: Int32 = 1
        for g in 0..<7 {
            for _ in 0..<(1 + g % 3) {
                for _ in 0..<(1 + Int(id) % 4) {
                    let v = UInt8(truncatingIfNeeded: id)
                    b.addExample(input: [v, v, 1], label: [v, 0, 2], difficulty: nil)
                }
                b.endPuzzle(identifier: id)
                id += 1
            }
            b.endGroup()
        }
        return b.finish(vocabSize: 256, numPuzzleIdentifiers: Int(id), referenceCounts: false)
    }

    @Test func samplerFollowsTheReferenceSemantics() throws {
        let split = irregularSplit()
        try split.validate()
        var sampler = BatchSampler(split: split, batchSize: 5, seed: 3)
        for _ in 0..<40 {
            let drawn = sampler.next()
            let batch = try #require(drawn)
            #expect(batch.validRows == 5)
            #expect(batch.inputs.count == 15)
            for r in 0..<5 {
                let id = batch.puzzleIdentifiers[r]
                #expect(batch.inputs[r * 3] == id)  // the row belongs to the puzzle it claims
                #expect(batch.labels[r * 3 + 1] == -100)  // ignore_label_id 0 → −100
                #expect(batch.labels[r * 3 + 2] == 2)
            }
        }
        #expect(sampler.state.epoch >= 2)
        // Too large a batch cannot be filled from one epoch.
        var huge = BatchSampler(split: split, batchSize: 10_000, seed: 3)
        #expect(huge.next() == nil)
    }

    /// The incomplete last batch of an epoch is dropped, not topped up: 20 single-example groups
    /// in batches of 7 give two batches from epoch 0, then the third is epoch 1's first 7 groups.
    @Test func samplerDropsTheIncompleteLastBatchOfAnEpoch() throws {
        var b = SplitBuilder(seqLen: 1)
        for g in 1...20 {
            b.addExample(input: [UInt8(g)], label: [UInt8(g)], difficulty: nil)
            b.endPuzzle(identifier: Int32(g))
            b.endGroup()
        }
        let split = b.finish(vocabSize: 256, numPuzzleIdentifiers: 21, referenceCounts: false)
        var sampler = BatchSampler(split: split, batchSize: 7, seed: 11)
        func groups(_ batch: PuzzleBatch?) throws -> [Int32] { try #require(batch).puzzleIdentifiers }
        let epoch0 = try groups(sampler.next()) + groups(sampler.next())
        #expect(Set(epoch0).count == 14 && sampler.state.epoch == 0 && sampler.state.groupCursor == 14)
        let third = try groups(sampler.next())
        #expect(Set(third).count == 7 && sampler.state.epoch == 1 && sampler.state.groupCursor == 7)
        // Epoch 1 started from its own first group: a sampler resumed at the start of epoch 1 draws the same 7.
        let start = BatchSamplerState(seed: 11, epoch: 1, groupCursor: 0, rng: RandomGenerator.derived(seed: 11, stream: 1), batchesDrawn: 2)
        var fresh = BatchSampler(split: split, batchSize: 7, seed: 11, state: start)
        #expect(try groups(fresh.next()) == third)
        // So the 6 groups epoch 0 left over were never served in it; epoch 1 again serves 14 distinct groups.
        let epoch1 = third + (try groups(sampler.next()))
        #expect(Set(epoch1).count == 14)
        _ = try groups(sampler.next())
        #expect(sampler.state.epoch == 2 && sampler.state.groupCursor == 7 && sampler.state.batchesDrawn == 5)
    }

    /// 40 single-example groups of difficulty 1…40 (the input token says which).
    private func ratedSplit() -> PuzzleSplit {
        var b = SplitBuilder(seqLen: 1)
        for d in 1...40 {
            b.addExample(input: [UInt8(d)], label: [UInt8(d)], difficulty: d)
            b.endPuzzle(identifier: Int32(d))
            b.endGroup()
        }
        return b.finish(vocabSize: 256, numPuzzleIdentifiers: 41, referenceCounts: false)
    }

    @Test func curriculumWindowMovesLinearlyThenStays() {
        let c = DifficultyCurriculum(steps: 10, start: 2...10, end: 20...40)
        #expect(c.window(atStep: 0) == 2...10)
        #expect(c.window(atStep: 5) == 11...25)
        #expect(c.window(atStep: 10) == 20...40)
        #expect(c.window(atStep: 1_000) == 20...40)
        // Bounds that cross on the way keep the window a range, not an error.
        #expect(DifficultyCurriculum(steps: 2, start: 0...1, end: 10...10).window(atStep: 1) == 5...5.5)
        #expect(DifficultyCurriculum(steps: 2, start: 8...8, end: 0...20).window(atStep: 1) == 4...14)
    }

    @Test func samplerDrawsOnlyWhatTheCurriculumAdmits() throws {
        let split = ratedSplit()
        let curriculum = DifficultyCurriculum(steps: 4, start: 1...10, end: 31...40)
        var sampler = BatchSampler(split: split, batchSize: 3, seed: 7, curriculum: curriculum)
        for step in 0..<12 {
            let window = curriculum.window(atStep: step)
            let drawn = sampler.next()
            let batch = try #require(drawn)
            #expect(batch.inputs.allSatisfy { window.contains(Double($0)) }, "step \(step): \(batch.inputs) outside \(window)")
        }
        // Resuming mid-curriculum draws what the uninterrupted sampler draws.
        var a = BatchSampler(split: split, batchSize: 3, seed: 9, curriculum: curriculum)
        _ = a.next()
        _ = a.next()
        var b = BatchSampler(split: split, batchSize: 3, seed: 0, state: a.state, curriculum: curriculum)
        #expect((0..<6).map { _ in b.next() } == (0..<6).map { _ in a.next() })
        // A window that admits too few examples for one batch ends the draw instead of looping.
        var starved = BatchSampler(split: split, batchSize: 3, seed: 1, curriculum: DifficultyCurriculum(steps: 1, start: 1...2, end: 1...2))
        #expect(starved.next() == nil)
    }

    @Test func samplerStateRestoresExactly() throws {
        let ds = try sudokuDataset(numAug: 3)
        var a = BatchSampler(split: ds.train, batchSize: 7, seed: 42)
        for _ in 0..<9 { _ = a.next() }  // crosses an epoch boundary (80 examples, 20 groups)
        let saved = try JSONEncoder().encode(a.state)
        let expected = (0..<12).compactMap { _ in a.next() }
        let state = try JSONDecoder().decode(BatchSamplerState.self, from: saved)
        var b = BatchSampler(split: ds.train, batchSize: 7, seed: 0, state: state)
        let resumed = (0..<12).compactMap { _ in b.next() }
        #expect(resumed.count == 12)
        #expect(resumed == expected)
        #expect(b.state == a.state)
        var c = BatchSampler(split: ds.train, batchSize: 7, seed: 43)
        var d = BatchSampler(split: ds.train, batchSize: 7, seed: 42)
        let fromC = c.next(), fromD = d.next()
        #expect(fromC != fromD)
        // One puzzle per group per epoch: in epoch 0 with batch 20 (one batch = all 20 groups).
        var one = BatchSampler(split: ds.train, batchSize: 20, seed: 5)
        let first = one.next()
        let batch = try #require(first)
        let groupsSeen = Set(
            (0..<20).map { r in
                (0..<ds.train.exampleCount).first {
                    ds.train.inputs[($0 * 81)..<($0 * 81 + 81)].elementsEqual(batch.inputs[(r * 81)..<(r * 81 + 81)].map { UInt8($0) })
                }! / 4
            })
        #expect(groupsSeen.count == 20)
    }

    @Test func evaluationBatchesPadTheLastBatch() throws {
        let split = irregularSplit()
        var it = EvaluationBatches(split: split, batchSize: 7)
        var seen = 0
        var batches = 0
        while let batch = it.next() {
            batches += 1
            for r in 0..<batch.validRows {
                let e = seen + r
                #expect(batch.inputs[r * 3] == Int32(split.inputs[e * 3]))
                #expect(batch.puzzleIdentifiers[r] == split.puzzleIdentifiers[split.puzzle(ofExample: e)])
            }
            for r in batch.validRows..<7 {
                #expect(batch.puzzleIdentifiers[r] == 0)
                #expect(batch.inputs[(r * 3)..<(r * 3 + 3)].allSatisfy { $0 == 0 })
                #expect(batch.labels[(r * 3)..<(r * 3 + 3)].allSatisfy { $0 == -100 })
            }
            seen += batch.validRows
        }
        #expect(seen == split.exampleCount)
        #expect(batches == it.count)
        #expect(split.exampleCount % 7 != 0)
    }
}

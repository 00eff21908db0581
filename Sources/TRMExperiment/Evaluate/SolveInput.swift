import Foundation
import TRMData

/// Where `trm-exp solve` gets its puzzles: a puzzle string, a file of them, a published-format
/// CSV, or an ARC task (by id from the run's dataset, or a task JSON file).
public enum SolveInput {
    /// Puzzles of a file: a CSV in the published format of `kind` (verified by the dataset's CSV
    /// reader; answers are kept), else one puzzle per line (blank lines skipped).
    /// - Throws: `DatasetError`/`PuzzleInputError` naming the file and line of a bad row.
    public static func file(_ path: String, kind: DatasetKind, cells: Int) throws -> [SolvePuzzle] {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PuzzleInputError("cannot read --input \(path); give a file with one puzzle per line or a published-format CSV")
        }
        let text = String(decoding: data, as: UTF8.self)
        let name = url.lastPathComponent
        if url.pathExtension.lowercased() == "csv" || text.hasPrefix("source,") {
            switch kind {
            case .sudoku:
                return try SudokuCSV.load(url).records.enumerated().map { i, record in
                    SolvePuzzle(
                        kind: .sudoku, source: "\(name) puzzle \(i + 1)", tokens: record.question.map(SudokuDatasetBuilder.token),
                        answer: record.answer.map(SudokuDatasetBuilder.token))
                }
            case .maze:
                return try MazeCSV.load(url).records.enumerated().map { i, record in
                    SolvePuzzle(
                        kind: .maze, source: "\(name) maze \(i + 1)", tokens: record.question.map { MazeRecord.token($0)! },
                        answer: record.answer.map { MazeRecord.token($0)! })
                }
            case .arc: throw PuzzleInputError("ARC runs take a task JSON file or a task id, not a CSV")
            }
        }
        if kind == .arc { return try arcTaskFile(url, dataset: nil) }
        var puzzles: [SolvePuzzle] = []
        // Maze lines keep their spaces: only line ends are removed.
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let row = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if row.isEmpty { continue }
            do {
                puzzles.append(try SolvePuzzleParser.puzzle(row, kind: kind, cells: cells, source: "\(name) line \(i + 1)"))
            } catch let error as PuzzleInputError {
                throw PuzzleInputError("\(name) line \(i + 1): \(error.description)")
            }
        }
        guard !puzzles.isEmpty else { throw PuzzleInputError("\(path) holds no puzzles; put one per line") }
        return puzzles
    }

    /// The test inputs of an ARC task: `reference` is a task id of the run's test split (its
    /// unaugmented rows, with their answers), or a task JSON file (`{"train": [...], "test": [...]}`).
    public static func arcTask(_ reference: String, dataset: () throws -> PuzzleDataset) throws -> [SolvePuzzle] {
        if FileManager.default.fileExists(atPath: reference) {
            return try arcTaskFile(URL(fileURLWithPath: reference), dataset: try dataset())
        }
        return try arcTask(id: reference, dataset: try dataset(), orFile: true)
    }

    /// The test inputs of the ARC task `id` in the run's test split (its unaugmented rows, with
    /// their answers). Never reads a file, so it is safe for input from the network.
    /// - Throws: `PuzzleInputError` when the split has no such task.
    public static func arcTask(id: String, dataset: PuzzleDataset) throws -> [SolvePuzzle] {
        try arcTask(id: id, dataset: dataset, orFile: false)
    }

    private static func arcTask(id: String, dataset data: PuzzleDataset, orFile: Bool) throws -> [SolvePuzzle] {
        guard let identifier = data.identifiers.firstIndex(of: id) else {
            throw PuzzleInputError(
                "no task \(id) in the run's dataset\(orFile ? " and no such file" : ""); give a task id of its test set\(orFile ? " or a task JSON file" : "")"
            )
        }
        let split = data.test
        let s = split.metadata.seqLen
        let puzzles = (0..<split.exampleCount).filter { Int(split.puzzleIdentifiers[split.puzzle(ofExample: $0)]) == identifier }
            .enumerated().map { n, e in
                SolvePuzzle(
                    kind: .arc, source: "\(id) test input \(n + 1)", tokens: Array(split.inputs[(e * s)..<((e + 1) * s)]),
                    answer: Array(split.labels[(e * s)..<((e + 1) * s)]), identifier: Int32(identifier))
            }
        guard !puzzles.isEmpty else { throw PuzzleInputError("task \(id) has no test inputs in the run's test split") }
        return puzzles
    }

    /// The test inputs of a task JSON file; the task's puzzle-table row is used when the run's
    /// dataset knows the task (by file name), else the blank row.
    private static func arcTaskFile(_ url: URL, dataset: PuzzleDataset?) throws -> [SolvePuzzle] {
        let id = url.deletingPathExtension().lastPathComponent
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) } catch {
            throw PuzzleInputError("\(url.path) is not JSON (\(error.localizedDescription)); give an ARC task file with \"train\" and \"test\"")
        }
        let task = try ARCLoader.parseTask(object, id: id, file: url.lastPathComponent)
        let identifier = Int32(dataset?.identifiers.firstIndex(of: id) ?? 0)
        return task.test.enumerated().map { n, pair in
            SolvePuzzle(
                kind: .arc, source: "\(id) test input \(n + 1)", tokens: ARCEncoding.encode(pair.input),
                answer: pair.output.map { ARCEncoding.encode($0) }, identifier: identifier)
        }
    }
}

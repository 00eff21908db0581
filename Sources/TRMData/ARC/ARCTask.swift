import Foundation
import TRMCore

/// An ARC grid: 1…30 rows and columns of colours 0…9, row-major.
public struct ARCGrid: Hashable, Sendable, Codable {
    /// Row count.
    public var rows: Int
    /// Column count.
    public var columns: Int
    /// Colours, row-major.
    public var cells: [UInt8]

    /// Creates a grid (sizes are not checked here; `ARCLoader` verifies input files).
    public init(rows: Int, columns: Int, cells: [UInt8]) {
        precondition(rows * columns == cells.count, "grid size does not match its cells")
        self.rows = rows
        self.columns = columns
        self.cells = cells
    }

    /// Creates a grid from a list of rows.
    public init(_ rowsList: [[UInt8]]) {
        self.init(rows: rowsList.count, columns: rowsList.first?.count ?? 0, cells: rowsList.flatMap { $0 })
    }

    /// The grid as a list of rows of Ints (for JSON).
    public var rowsList: [[Int]] {
        (0..<rows).map { r in (0..<columns).map { Int(cells[r * columns + $0]) } }
    }

    /// The reference's grid hash: SHA-256 over [rows, cols] then the cell bytes, hex.
    public var referenceHash: String { SHA256.hex([UInt8(rows), UInt8(columns)] + cells) }
}

/// One input/output pair; `output` is nil for test inputs whose solution is unknown.
public struct ARCPair: Hashable, Sendable {
    /// The input grid.
    public var input: ARCGrid
    /// The output grid, if known.
    public var output: ARCGrid?

    /// Creates a pair.
    public init(input: ARCGrid, output: ARCGrid?) {
        self.input = input
        self.output = output
    }
}

/// One ARC task: demonstration pairs and test pairs.
public struct ARCTask: Hashable, Sendable {
    /// Task id (8 hex digits for ARC-AGI, e.g. `AboveBelow10` for ConceptARC).
    public var id: String
    /// Demonstration pairs.
    public var train: [ARCPair]
    /// Test pairs.
    public var test: [ARCPair]

    /// Creates a task.
    public init(id: String, train: [ARCPair], test: [ARCPair]) {
        self.id = id
        self.train = train
        self.test = test
    }

    /// The task as the per-task JSON object (`{"train": [...], "test": [...]}`), outputs included
    /// where known.
    public var jsonObject: [String: Any] {
        func pairs(_ list: [ARCPair]) -> [[String: Any]] {
            list.map { p in
                var o: [String: Any] = ["input": p.input.rowsList]
                if let out = p.output { o["output"] = out.rowsList }
                return o
            }
        }
        return ["train": pairs(train), "test": pairs(test)]
    }
}

/// Reads ARC tasks in Kaggle combined format (challenges + solutions) or as a folder of per-task
/// JSON files, verifying every grid.
public enum ARCLoader {
    /// Loads `<prefix>_challenges.json` style files: `challenges` maps task id → {train, test};
    /// `solutions` (optional) maps task id → list of output grids in test order. Tasks come back
    /// sorted by id. The first invalid task stops the load unless `options.skipInvalid` is set.
    public static func loadCombined(
        challenges: URL, solutions: URL?,
        options: IngestOptions
    ) throws -> (tasks: [ARCTask], report: IngestReport) {
        let challengeObject = try readJSON(challenges)
        guard let tasks = challengeObject as? [String: Any] else {
            throw DatasetError(
                file: challenges.lastPathComponent, location: "top level", problem: .malformed("expected an object mapping task ids to tasks"))
        }
        var solutionMap: [String: Any] = [:]
        if let solutions {
            guard let s = try readJSON(solutions) as? [String: Any] else {
                throw DatasetError(
                    file: solutions.lastPathComponent, location: "top level",
                    problem: .malformed("expected an object mapping task ids to output lists"))
            }
            solutionMap = s
        }
        var out: [ARCTask] = []
        var report = IngestReport(source: challenges.lastPathComponent)
        for id in tasks.keys.sorted() {
            report.itemsRead += 1
            defer { report.reportProgress(options, totalItems: tasks.count) }
            do {
                var task = try parseTask(tasks[id]!, id: id, file: challenges.lastPathComponent)
                if let solutions, let list = solutionMap[id] {
                    guard let grids = list as? [Any], grids.count == task.test.count else {
                        throw DatasetError(
                            file: solutions.lastPathComponent, location: "task \(id)",
                            problem: .malformed("expected \(task.test.count) output grids, one per test input"))
                    }
                    for (i, g) in grids.enumerated() {
                        task.test[i].output = try parseGrid(g, file: solutions.lastPathComponent, location: "task \(id) test \(i) output")
                    }
                }
                out.append(task)
                report.itemsAccepted += 1
            } catch let error as DatasetError {
                if !options.skipInvalid { throw error }
                report.recordSkip(error, keep: options.maxReportedErrors)
            }
        }
        return (out, report)
    }

    /// `loadCombined(challenges:solutions:options:)` stopping at the first invalid task.
    public static func loadCombined(challenges: URL, solutions: URL?) throws -> [ARCTask] {
        try loadCombined(challenges: challenges, solutions: solutions, options: IngestOptions()).tasks
    }

    /// Loads every `*.json` file of `folder` as one task named after the file; invalid files stop
    /// the load unless `options.skipInvalid` is set.
    public static func loadFolder(_ folder: URL, options: IngestOptions) throws -> (tasks: [ARCTask], report: IngestReport) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DatasetUsageError("\(folder.path) is not a folder: pass a folder of per-task ARC JSON files")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        guard !names.isEmpty else { throw DatasetUsageError("\(folder.path) holds no .json task files") }
        var out: [ARCTask] = []
        var report = IngestReport(source: folder.lastPathComponent)
        for name in names {
            report.itemsRead += 1
            defer { report.reportProgress(options, totalItems: names.count) }
            do {
                let url = folder.appendingPathComponent(name)
                out.append(try parseTask(try readJSON(url), id: String(name.dropLast(5)), file: name))
                report.itemsAccepted += 1
            } catch let error as DatasetError {
                if !options.skipInvalid { throw error }
                report.recordSkip(error, keep: options.maxReportedErrors)
            }
        }
        return (out, report)
    }

    /// `loadFolder(_:options:)` stopping at the first invalid file.
    public static func loadFolder(_ folder: URL) throws -> [ARCTask] {
        try loadFolder(folder, options: IngestOptions()).tasks
    }

    /// Loads subset `name` from `directory/<prefix>_<name>_{challenges,solutions}.json`
    /// (solutions optional).
    public static func loadSubset(
        directory: URL, prefix: String = "arc-agi", name: String,
        options: IngestOptions
    ) throws -> (tasks: [ARCTask], report: IngestReport) {
        let ch = directory.appendingPathComponent("\(prefix)_\(name)_challenges.json")
        let so = directory.appendingPathComponent("\(prefix)_\(name)_solutions.json")
        guard FileManager.default.fileExists(atPath: ch.path) else {
            throw DatasetUsageError("missing \(ch.path): pass the folder holding \(prefix)_\(name)_challenges.json")
        }
        return try loadCombined(challenges: ch, solutions: FileManager.default.fileExists(atPath: so.path) ? so : nil, options: options)
    }

    /// `loadSubset(directory:prefix:name:options:)` stopping at the first invalid task.
    public static func loadSubset(directory: URL, prefix: String = "arc-agi", name: String) throws -> [ARCTask] {
        try loadSubset(directory: directory, prefix: prefix, name: name, options: IngestOptions()).tasks
    }

    static func readJSON(_ url: URL) throws -> Any {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw DatasetUsageError("cannot read \(url.path): check that the file exists")
        }
        do {
            return try JSONSerialization.jsonObject(with: data)
        } catch {
            throw DatasetError(
                file: url.lastPathComponent, location: "whole file", problem: .malformed("not valid JSON: \(error.localizedDescription)"))
        }
    }

    /// Parses one task object (`{"train": [...], "test": [...]}`) as read by `JSONSerialization`,
    /// checking every grid; errors name `file` and the task.
    public static func parseTask(_ object: Any, id: String, file: String) throws -> ARCTask {
        guard let dict = object as? [String: Any] else {
            throw DatasetError(file: file, location: "task \(id)", problem: .malformed("task is not an object with train and test lists"))
        }
        func pairs(_ key: String) throws -> [ARCPair] {
            guard let list = dict[key] as? [Any] else {
                throw DatasetError(file: file, location: "task \(id)", problem: .malformed("missing list \"\(key)\""))
            }
            return try list.enumerated().map { i, p in
                guard let pair = p as? [String: Any], let input = pair["input"] else {
                    throw DatasetError(file: file, location: "task \(id) \(key) \(i)", problem: .malformed("pair without an input grid"))
                }
                let output = try pair["output"].map { try parseGrid($0, file: file, location: "task \(id) \(key) \(i) output") }
                return ARCPair(input: try parseGrid(input, file: file, location: "task \(id) \(key) \(i) input"), output: output)
            }
        }
        return ARCTask(id: id, train: try pairs("train"), test: try pairs("test"))
    }

    /// Parses and verifies one grid: a non-empty rectangular list of rows, at most 30×30, values 0…9.
    static func parseGrid(_ object: Any, file: String, location: String) throws -> ARCGrid {
        func fail(_ p: DatasetProblem) -> DatasetError { DatasetError(file: file, location: location, problem: p) }
        guard let rows = object as? [Any], !rows.isEmpty else { throw fail(.gridShape("not a non-empty list of rows")) }
        guard rows.count <= 30 else { throw fail(.gridShape("\(rows.count) rows, at most 30 allowed")) }
        var cells: [UInt8] = []
        var width = -1
        for (r, rowObject) in rows.enumerated() {
            guard let row = rowObject as? [Any], !row.isEmpty else { throw fail(.gridShape("row \(r) is not a non-empty list")) }
            if width < 0 { width = row.count }
            guard row.count == width else { throw fail(.gridShape("row \(r) has \(row.count) cells, row 0 has \(width) (not rectangular)")) }
            guard width <= 30 else { throw fail(.gridShape("\(width) columns, at most 30 allowed")) }
            for v in row {
                guard let value = v as? Int else {
                    throw fail(.gridShape("row \(r) holds \(v), not an integer"))
                }
                guard (0...9).contains(value) else { throw fail(.colourOutOfRange(value)) }
                cells.append(UInt8(value))
            }
        }
        return ARCGrid(rows: rows.count, columns: width, cells: cells)
    }
}

import Foundation

/// One Sudoku row of the published CSV (`source,question,answer,rating`).
public struct SudokuRecord: Sendable, Equatable {
    /// The collection the puzzle came from (may be empty).
    public var source: String
    /// Question cells, row-major: 0 = blank, 1…n = given.
    public var question: [UInt8]
    /// Answer cells, row-major, 1…n.
    public var answer: [UInt8]
    /// Difficulty rating (guess count), ≥ 0.
    public var rating: Int

    /// Creates a record.
    public init(source: String, question: [UInt8], answer: [UInt8], rating: Int) {
        self.source = source
        self.question = question
        self.answer = answer
        self.rating = rating
    }

    /// Side length n (n² cells).
    public var side: Int { Int(Double(question.count).squareRoot().rounded()) }
}

/// Reads and writes Sudoku-Extreme CSV (`source,question,answer,rating`, '.' blanks), verifying
/// every row.
public enum SudokuCSV {
    /// The published header line.
    public static let header = "source,question,answer,rating"

    /// Streams `url`, verifying each row and calling `body` with each valid record; memory stays
    /// bounded. The grid side (4, 6 or 9) is taken from the first row's question length; every row
    /// must match it. With `checkUnique`, each question must also have exactly one solution.
    @discardableResult
    public static func read(
        _ url: URL, options: IngestOptions = IngestOptions(), checkUnique: Bool = false,
        _ body: (SudokuRecord) throws -> Void
    ) throws -> IngestReport {
        let reader = LineReader(url: url)
        let total = reader.fileSize
        let name = url.lastPathComponent
        var report = IngestReport(source: name)
        var shape: SudokuShape? = nil
        var solver: SudokuSolver? = nil
        try reader.forEachLine { number, line, bytesRead in
            if number == 1 {
                let text = String(decoding: line, as: UTF8.self)
                if text.hasPrefix("source,") || text.hasPrefix("\u{FEFF}source,") { return true }
            }
            if line.isEmpty { return true }
            report.itemsRead += 1
            do {
                let record = try parseRow(line, shape: &shape)
                if checkUnique {
                    if solver == nil { solver = SudokuSolver(shape: shape!) }
                    let result = solver!.solve(record.question, limit: 2)
                    if result.solutionCount != 1 {
                        throw DatasetProblem.notUniquelySolvable(solutions: result.solutionCount)
                    }
                }
                report.itemsAccepted += 1
                try body(record)
            } catch let problem as DatasetProblem {
                let error = DatasetError(file: name, location: "line \(number)", problem: problem)
                if !options.skipInvalid { throw error }
                report.recordSkip(error, keep: options.maxReportedErrors)
            }
            if let progress = options.progress, report.itemsRead % options.progressInterval == 0 {
                progress(DatasetProgress(file: name, bytesRead: bytesRead, totalBytes: total, items: report.itemsRead))
            }
            return true
        }
        options.progress?(DatasetProgress(file: name, bytesRead: total, totalBytes: total, items: report.itemsRead))
        return report
    }

    /// Loads every valid row of `url` into memory.
    public static func load(
        _ url: URL, options: IngestOptions = IngestOptions(),
        checkUnique: Bool = false
    ) throws -> (records: [SudokuRecord], report: IngestReport) {
        var records: [SudokuRecord] = []
        let report = try read(url, options: options, checkUnique: checkUnique) { records.append($0) }
        return (records, report)
    }

    /// Parses and verifies one data line. `shape` is fixed by the first row when nil.
    static func parseRow(_ line: UnsafeBufferPointer<UInt8>, shape: inout SudokuShape?) throws -> SudokuRecord {
        let fields = splitFields(line)
        guard fields.count == 4 else { throw DatasetProblem.wrongFieldCount(expected: 4, found: fields.count) }
        let q = fields[1], a = fields[2]
        if shape == nil {
            let side = Int(Double(q.count).squareRoot().rounded())
            guard side * side == q.count, let s = SudokuShape.forSide(side) else {
                throw DatasetProblem.wrongLength(field: "question", expected: 81, found: q.count)
            }
            shape = s
        }
        let sh = shape!
        let n = sh.side
        guard q.count == sh.cells else { throw DatasetProblem.wrongLength(field: "question", expected: sh.cells, found: q.count) }
        guard a.count == sh.cells else { throw DatasetProblem.wrongLength(field: "answer", expected: sh.cells, found: a.count) }
        var question = [UInt8](repeating: 0, count: sh.cells)
        var answer = question
        for i in 0..<sh.cells {
            let ch = line[q.lowerBound + i]
            if ch == UInt8(ascii: ".") || ch == UInt8(ascii: "0") {
                question[i] = 0
            } else if ch > 48 && Int(ch) - 48 <= n {
                question[i] = ch - 48
            } else {
                throw DatasetProblem.badCharacter(field: "question", character: String(UnicodeScalar(ch)), position: i)
            }
            let ach = line[a.lowerBound + i]
            guard ach > 48 && Int(ach) - 48 <= n else {
                throw DatasetProblem.badCharacter(field: "answer", character: String(UnicodeScalar(ach)), position: i)
            }
            answer[i] = ach - 48
        }
        if let why = sh.violation(inSolution: answer) { throw DatasetProblem.answerNotASolution(why) }
        for i in 0..<sh.cells where question[i] != 0 && question[i] != answer[i] {
            throw DatasetProblem.answerContradictsGiven(cell: i)
        }
        let ratingText = String(decoding: UnsafeBufferPointer(rebasing: line[fields[3]]), as: UTF8.self)
        guard let rating = Int(ratingText), rating >= 0 else { throw DatasetProblem.badRating(ratingText) }
        let source = String(decoding: UnsafeBufferPointer(rebasing: line[fields[0]]), as: UTF8.self)
        return SudokuRecord(source: source, question: question, answer: answer, rating: rating)
    }

    /// Formats one record as a CSV line (no newline): '.' for blanks, digits otherwise.
    public static func format(_ record: SudokuRecord) -> String {
        var q = "", a = ""
        q.reserveCapacity(record.question.count)
        a.reserveCapacity(record.answer.count)
        for v in record.question { q.append(v == 0 ? "." : Character(String(v))) }
        for v in record.answer { a.append(Character(String(v))) }
        return "\(record.source),\(q),\(a),\(record.rating)"
    }

    /// Writes records with the published header, atomically.
    public static func write(_ records: [SudokuRecord], to url: URL) throws {
        var text = header + "\n"
        for r in records { text += format(r) + "\n" }
        try writeAtomically(Data(text.utf8), to: url)
    }
}

/// Splits a CSV line on commas (the published files use no quoting); returns index ranges.
func splitFields(_ line: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    var fields: [Range<Int>] = []
    fields.reserveCapacity(4)
    var start = 0
    for i in 0..<line.count where line[i] == UInt8(ascii: ",") {
        fields.append(start..<i)
        start = i + 1
    }
    fields.append(start..<line.count)
    return fields
}

import Foundation

/// Reads and writes Maze-Hard CSV (`source,question,answer,rating`; spaces are significant and
/// never trimmed), verifying every maze.
public enum MazeCSV {
    /// The header line.
    public static let header = "source,question,answer,rating"

    /// Streams `url`, verifying each row (side taken from the first row: floor(sqrt(length)), which
    /// must be exact) and calling `body` with each valid record. With `requireTieBreak` the label must
    /// also be exactly the BFS tie-break path. An empty or non-numeric rating is replaced by the
    /// path cell count; a numeric one is kept as published.
    @discardableResult
    public static func read(
        _ url: URL, options: IngestOptions = IngestOptions(), requireTieBreak: Bool = false,
        _ body: (MazeRecord) throws -> Void
    ) throws -> IngestReport {
        let reader = LineReader(url: url)
        let total = reader.fileSize
        let name = url.lastPathComponent
        var report = IngestReport(source: name)
        var side = 0
        try reader.forEachLine { number, line, bytesRead in
            if number == 1 && String(decoding: line, as: UTF8.self).hasPrefix("source,") { return true }
            if line.isEmpty { return true }
            report.itemsRead += 1
            do {
                let fields = splitFields(line)
                guard fields.count == 4 else { throw DatasetProblem.wrongFieldCount(expected: 4, found: fields.count) }
                let q = Array(UnsafeBufferPointer(rebasing: line[fields[1]]))
                let a = Array(UnsafeBufferPointer(rebasing: line[fields[2]]))
                if side == 0 {
                    let s = Int(Double(q.count).squareRoot())
                    guard s >= 2 && s * s == q.count else {
                        throw DatasetProblem.wrongLength(field: "question", expected: max(4, s * s), found: q.count)
                    }
                    side = s
                }
                let cells = try MazeRecord.verify(question: q, answer: a, side: side, requireTieBreak: requireTieBreak)
                let ratingText = String(decoding: UnsafeBufferPointer(rebasing: line[fields[3]]), as: UTF8.self)
                var rating = cells
                if !ratingText.isEmpty {
                    guard let r = Int(ratingText), r >= 0 else { throw DatasetProblem.badRating(ratingText) }
                    rating = r
                }
                let source = String(decoding: UnsafeBufferPointer(rebasing: line[fields[0]]), as: UTF8.self)
                report.itemsAccepted += 1
                try body(MazeRecord(source: source, question: q, answer: a, rating: rating))
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

    /// Loads every valid maze of `url`.
    public static func load(
        _ url: URL, options: IngestOptions = IngestOptions(),
        requireTieBreak: Bool = false
    ) throws -> (records: [MazeRecord], report: IngestReport) {
        var records: [MazeRecord] = []
        let report = try read(url, options: options, requireTieBreak: requireTieBreak) { records.append($0) }
        return (records, report)
    }

    /// One CSV line (no newline).
    public static func format(_ r: MazeRecord) -> String {
        "\(r.source)," + String(decoding: r.question, as: UTF8.self) + "," + String(decoding: r.answer, as: UTF8.self) + ",\(r.rating)"
    }

    /// Writes records with the header, atomically.
    public static func write(_ records: [MazeRecord], to url: URL) throws {
        var text = header + "\n"
        for r in records { text += format(r) + "\n" }
        try writeAtomically(Data(text.utf8), to: url)
    }
}

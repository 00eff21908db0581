import Foundation

/// Why an input row, grid or file was rejected.
public enum DatasetProblem: Error, Equatable, Sendable, CustomStringConvertible, Codable {
    /// The row does not have the expected number of comma-separated fields.
    case wrongFieldCount(expected: Int, found: Int)
    /// A grid string has the wrong number of characters.
    case wrongLength(field: String, expected: Int, found: Int)
    /// A grid string contains a character that the format does not allow.
    case badCharacter(field: String, character: String, position: Int)
    /// The `rating` column is not a non-negative integer.
    case badRating(String)
    /// A Sudoku answer breaks a row, column or box rule.
    case answerNotASolution(String)
    /// A Sudoku answer differs from a given of the question.
    case answerContradictsGiven(cell: Int)
    /// A Sudoku question does not have exactly one solution (only checked when asked).
    case notUniquelySolvable(solutions: Int)
    /// A maze does not have exactly one start and one goal.
    case startGoalCount(starts: Int, goals: Int)
    /// A maze answer differs from its question somewhere other than path marks.
    case answerDiffersFromQuestion(cell: Int)
    /// The goal cannot be reached from the start.
    case goalUnreachable
    /// The `o` marks in a maze answer are not a shortest start–goal path.
    case pathNotShortest(String)
    /// The `o` path is a shortest path but not the reference's BFS tie-break path (only when asked).
    case pathNotTieBreak
    /// An ARC grid is empty, ragged, or larger than 30×30.
    case gridShape(String)
    /// An ARC grid holds a value outside 0–9.
    case colourOutOfRange(Int)
    /// The file's structure is not what the format requires.
    case malformed(String)

    public var description: String {
        switch self {
        case let .wrongFieldCount(e, f): return "expected \(e) comma-separated fields, found \(f)"
        case let .wrongLength(field, e, f): return "\(field) has \(f) characters, expected \(e)"
        case let .badCharacter(field, ch, pos):
            return "\(field) has the character \(ch.debugDescription) at position \(pos), which the format does not allow"
        case let .badRating(s): return "rating \(s.debugDescription) is not a non-negative integer"
        case let .answerNotASolution(why): return "answer is not a valid solution: \(why)"
        case let .answerContradictsGiven(cell): return "answer contradicts the question's given at cell \(cell)"
        case let .notUniquelySolvable(n): return "question has \(n == 0 ? "no" : "more than one") solution"
        case let .startGoalCount(s, g): return "maze has \(s) start (S) and \(g) goal (G) cells, expected exactly one each"
        case let .answerDiffersFromQuestion(cell): return "answer differs from the question at cell \(cell) (only 'o' path marks may be added)"
        case .goalUnreachable: return "the goal cannot be reached from the start"
        case let .pathNotShortest(why): return "the 'o' path is not a shortest start–goal path: \(why)"
        case .pathNotTieBreak: return "the 'o' path is a shortest path but not the BFS tie-break path (down, left, right, up)"
        case let .gridShape(why): return "bad grid: \(why)"
        case let .colourOutOfRange(v): return "grid value \(v) is outside 0–9"
        case let .malformed(why): return why
        }
    }
}

/// An invalid input item: which file, where in it (line number or task id), and what is wrong.
public struct DatasetError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError, Codable {
    /// The file the item came from.
    public var file: String
    /// "line 17", "task 007bbfc7 test 0 output", and so on.
    public var location: String
    /// What is wrong.
    public var problem: DatasetProblem

    /// Creates an error for `file` at `location`.
    public init(file: String, location: String, problem: DatasetProblem) {
        self.file = file
        self.location = location
        self.problem = problem
    }

    public var description: String { "\(file): \(location): \(problem)" }
    public var errorDescription: String? { description }
}

/// A user-facing error that is not tied to one input item (missing file, bad option…).
public struct DatasetUsageError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// The message, phrased to say what to do.
    public var message: String
    /// Creates an error with `message`.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}

/// Progress of a long ingest: which file, bytes consumed out of its size, and items parsed so far
/// (out of a known total for ARC task files, which are parsed whole before their tasks are checked).
public struct DatasetProgress: Sendable, Equatable {
    /// The file (or task folder) being read, by its last path component.
    public var file: String
    /// Bytes of the file read so far.
    public var bytesRead: Int
    /// The file's size in bytes.
    public var totalBytes: Int
    /// Rows (or tasks) parsed so far.
    public var items: Int
    /// How many items the file holds, when known before the end (ARC tasks); nil for CSV rows.
    public var totalItems: Int?

    /// A progress report for `file`.
    public init(file: String, bytesRead: Int, totalBytes: Int, items: Int, totalItems: Int? = nil) {
        self.file = file
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
        self.items = items
        self.totalItems = totalItems
    }
}

/// Called from time to time during long ingests.
public typealias DatasetProgressHandler = @Sendable (DatasetProgress) -> Void

/// How ingest treats invalid items.
public struct IngestOptions: Sendable {
    /// Skip invalid items (counting them and keeping the first few errors) instead of stopping.
    public var skipInvalid: Bool
    /// How many skipped-item errors to keep in the report.
    public var maxReportedErrors: Int
    /// Called about every `progressInterval` CSV rows and once at the end of each file; ARC loaders
    /// call it after every task.
    public var progress: DatasetProgressHandler?
    /// CSV rows between progress calls.
    public var progressInterval: Int

    /// Creates options; by default the first invalid item stops the ingest.
    public init(
        skipInvalid: Bool = false, maxReportedErrors: Int = 5,
        progress: DatasetProgressHandler? = nil, progressInterval: Int = 100_000
    ) {
        self.skipInvalid = skipInvalid
        self.maxReportedErrors = maxReportedErrors
        self.progress = progress
        self.progressInterval = progressInterval
    }
}

/// What an ingest read: items accepted, items skipped, and the first few reasons.
public struct IngestReport: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The file or folder read (its last path component).
    public var source = ""
    /// Data rows or tasks read (header excluded).
    public var itemsRead = 0
    /// Items that passed verification.
    public var itemsAccepted = 0
    /// Items skipped because `skipInvalid` was set.
    public var itemsSkipped = 0
    /// The first skipped items' errors.
    public var firstErrors: [DatasetError] = []

    /// An empty report for the file or folder named `source`.
    public init(source: String = "") { self.source = source }

    /// Tells `options.progress` that `itemsRead` of `totalItems` items of `source` are done.
    func reportProgress(_ options: IngestOptions, totalItems: Int) {
        options.progress?(DatasetProgress(file: source, bytesRead: 0, totalBytes: 0, items: itemsRead, totalItems: totalItems))
    }

    mutating func recordSkip(_ error: DatasetError, keep: Int) {
        itemsSkipped += 1
        if firstErrors.count < keep { firstErrors.append(error) }
    }

    public var description: String {
        var s = "read \(itemsRead), accepted \(itemsAccepted), skipped \(itemsSkipped)"
        for e in firstErrors { s += "\n  skipped: \(e)" }
        return s
    }
}

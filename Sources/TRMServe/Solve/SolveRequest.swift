import Foundation
import TRMExperiment

/// The body of `POST /api/solve`, checked field by field so each mistake gets its own message:
/// `{"run": "smoke", "checkpoint": "latest", "ema": false, "k": 8}` plus exactly one puzzle
/// source: `"puzzle"` (a Sudoku or maze string; line breaks are ignored), `"example"` (an index
/// into the run's test split) or `"task"` (an ARC task id of its test set).
struct SolveRequest: Sendable {
    /// Where the puzzle comes from.
    enum Source: Sendable, Equatable {
        case text(String)
        case example(Int)
        case task(String)
    }

    static let fields: Set<String> = ["run", "checkpoint", "ema", "k", "puzzle", "example", "task"]

    var run: String
    var checkpoint: CheckpointSelector = .latest
    var ema = false
    var k: Int?
    var source: Source

    /// - Throws: `APIError` 400 naming the field that is missing, unknown or of the wrong type.
    init(_ body: [String: Any]) throws {
        if let unknown = body.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw APIError.badRequest("unknown field '\(unknown)'; a solve request takes \(Self.fields.sorted().joined(separator: ", "))")
        }
        guard let run = body["run"] as? String, !run.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.badRequest("\"run\" is required: a run id, id prefix or name")
        }
        self.run = run
        switch body["checkpoint"] {
        case nil: break
        case let text as String:
            guard let selector = CheckpointSelector(text) else {
                throw APIError.badRequest("\"checkpoint\" must be \"latest\", \"best\" or a step number, got \"\(text)\"")
            }
            checkpoint = selector
        default:
            guard let step = Self.integer(body["checkpoint"]), step >= 0 else {
                throw APIError.badRequest("\"checkpoint\" must be \"latest\", \"best\" or a step number")
            }
            checkpoint = .step(step)
        }
        if let value = body["ema"] {
            guard Self.isBoolean(value), let flag = value as? Bool else { throw APIError.badRequest("\"ema\" must be true or false") }
            ema = flag
        }
        if body["k"] != nil {
            guard let k = Self.integer(body["k"]), (1...CheckpointEvaluation.maxKLimit).contains(k) else {
                throw APIError.badRequest("\"k\" must be an integer in 1…\(CheckpointEvaluation.maxKLimit) (ACT steps)")
            }
            self.k = k
        }
        let given = ["puzzle", "example", "task"].filter { body[$0] != nil }
        guard given.count == 1 else {
            throw APIError.badRequest(
                "give exactly one of \"puzzle\" (a Sudoku or maze string), \"example\" (a test-split index) or \"task\" (an ARC task id)"
                    + (given.isEmpty ? "" : "; got \(given.joined(separator: " and "))"))
        }
        switch given[0] {
        case "puzzle":
            guard let text = body["puzzle"] as? String else { throw APIError.badRequest("\"puzzle\" must be a string") }
            source = .text(String(text.filter { !$0.isNewline }))
        case "example":
            guard let index = Self.integer(body["example"]), index >= 0 else {
                throw APIError.badRequest("\"example\" must be a non-negative integer (an index into the run's test split)")
            }
            source = .example(index)
        default:
            guard let id = body["task"] as? String, !id.isEmpty else { throw APIError.badRequest("\"task\" must be an ARC task id") }
            source = .task(id)
        }
    }

    /// A JSON integer (not a boolean, not a fraction).
    private static func integer(_ value: Any?) -> Int? {
        guard let value, !isBoolean(value) else { return nil }
        if let integer = value as? Int { return integer }
        if let number = value as? Double, number == number.rounded(), abs(number) < 1e15 { return Int(number) }
        return nil
    }

    /// Whether a parsed JSON value was `true` or `false`. Foundation parses numbers and booleans
    /// alike as NSNumber, and `1 is Bool` holds, so the boxed type tells them apart.
    private static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return value is Bool }
        return type(of: number) == type(of: NSNumber(value: true))
    }
}

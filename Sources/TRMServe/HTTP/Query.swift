import Foundation
import Hummingbird

/// The query parameters of a request, checked against the names an endpoint takes, so a typo
/// (`?stauts=running`) is a 400 instead of a silently ignored filter.
struct Query {
    private let values: [(key: String, value: String)]

    /// - Throws: `APIError` 400 naming an unknown parameter and the ones the endpoint takes.
    init(_ request: Request, allowed: Set<String>) throws {
        values = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        for (key, _) in values where !allowed.contains(key) {
            let known = allowed.isEmpty ? "no parameters" : allowed.sorted().joined(separator: ", ")
            throw APIError.badRequest("unknown query parameter '\(key)'; this endpoint takes \(known)")
        }
    }

    /// The last non-empty value of `key` (an empty value, as a cleared form field sends, counts as absent).
    func string(_ key: String) -> String? { values.last { $0.key == key && !$0.value.isEmpty }?.value }

    /// Every non-empty value of `key`, in order.
    func all(_ key: String) -> [String] { values.filter { $0.key == key && !$0.value.isEmpty }.map(\.value) }

    /// An integer parameter within `range`.
    /// - Throws: `APIError` 400 when it is not an integer or out of range.
    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badRequest("\(key) must be an integer in \(range.lowerBound)…\(range.upperBound), got '\(text)'")
        }
        return value
    }
}

extension RequestContext {
    /// A path parameter, percent-decoded (run names may hold any character).
    /// - Throws: `APIError` 400 when it is missing or not valid percent-encoding.
    func pathParameter(_ name: String) throws -> String {
        guard let raw = parameters.get(name), let decoded = raw.removingPercentEncoding, !decoded.isEmpty else {
            throw APIError.badRequest("the path is missing a valid \(name)")
        }
        return decoded
    }
}

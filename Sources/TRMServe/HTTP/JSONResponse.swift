import Foundation
import Hummingbird
import TRMExperiment

/// JSON answers built from plain values (`[String: Any]`, arrays, numbers, strings), the way
/// `trm-exp solve --json` and `eval --json` build theirs, so the API reuses those shapes.
enum JSONResponse {
    /// A 200 answer.
    static func ok(_ value: Any) -> Response { make(value, status: .ok) }

    /// An answer with `status`; keys sorted so answers are stable.
    static func make(_ value: Any, status: HTTPResponse.Status) -> Response {
        // Written through JSONValue, whose numbers round-trip exactly (JSONSerialization's text
        // drops the last digit of some doubles, so a client would not see the stored values).
        let data = Data(JSONValue(foundation: sanitized(value)).canonical.utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `value`, or JSON null when nil.
    static func optional<T>(_ value: T?) -> Any { value.map { $0 as Any } ?? NSNull() }

    /// JSON has no NaN or infinity; such numbers (the accuracy of an empty bucket, a halting
    /// outcome an older store did not record) become null.
    /// Everything else passes through untouched (numbers parsed from stored JSON are NSNumber,
    /// which would also match `as Bool` or `as Int`, so no other type is tested).
    static func sanitized(_ value: Any) -> Any {
        switch value {
        case let object as [String: Any]: return object.mapValues(sanitized)
        case let array as [Any]: return array.map(sanitized)
        case let number as Double where !number.isFinite: return NSNull()
        case let number as Float where !number.isFinite: return NSNull()
        default: return value
        }
    }

    /// Dates as ISO 8601 text (UTC).
    static func date(_ date: Date?) -> Any {
        guard let date else { return NSNull() }
        return ISO8601DateFormatter().string(from: date)
    }
}

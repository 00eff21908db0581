import Foundation
import Hummingbird

extension Request {
    /// The body parsed as a JSON object, read up to `limit` bytes.
    /// - Throws: `APIError` 413 when the body is longer, 400 when it is not a JSON object.
    func jsonObject(limit: Int) async throws -> [String: Any] {
        if let length = headers[.contentLength].flatMap({ Int($0) }), length > limit { throw Self.tooLarge(limit) }
        var data = Data()
        for try await buffer in body {
            guard data.count + buffer.readableBytes <= limit else { throw Self.tooLarge(limit) }
            data.append(contentsOf: buffer.readableBytesView)
        }
        guard !data.isEmpty else { throw APIError.badRequest("the request needs a JSON object as its body") }
        let value: Any
        do { value = try JSONSerialization.jsonObject(with: data) } catch {
            throw APIError.badRequest("the body is not valid JSON; send a JSON object such as {\"run\": \"smoke\", \"puzzle\": \"...\"}")
        }
        guard let object = value as? [String: Any] else {
            throw APIError.badRequest(
                "the body must be a JSON object (with \"run\" and a puzzle), not \(value is [Any] ? "an array" : "a single value")")
        }
        return object
    }

    private static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, "the request body is larger than the \(limit) bytes this server accepts")
    }
}

import Foundation
import Hummingbird
import TRMData
import TRMExperiment

/// A failed request as the API reports it: an HTTP status and `{"error": "..."}` saying what
/// was wrong and what to do instead.
struct APIError: Error, Sendable, HTTPResponseError {
    /// The status sent.
    var status: HTTPResponse.Status
    /// The sentence in the `error` field.
    var message: String
    /// Extra headers (`Allow` for 405).
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    /// 400: the request itself is wrong (a parameter, the body, a puzzle).
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    /// 404: the run, checkpoint, evaluation, page or endpoint does not exist.
    static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(["error": message], status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    /// The API's answer to any error a handler throws. Domain errors keep their message, which
    /// already says what to do; their type decides the status.
    static func from(_ error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as HTTPError:
            if error.status == .notFound {
                return .notFound("no such page or endpoint: \(request.method) \(request.uri.path); the API is listed in the README")
            }
            return APIError(error.status, error.body ?? error.status.reasonPhrase)
        case let error as RunStoreError:
            switch error.kind {
            case .unknownRun: return .notFound(error.description)
            case .ambiguousReference: return .badRequest(error.description)
            case .other: return APIError(.internalServerError, error.description)
            }
        case let error as ReportError: return .notFound(error.description)
        case let error as PuzzleInputError: return .badRequest(error.description)
        case let error as CheckpointError: return APIError(.internalServerError, error.description)
        case let error as DatasetError: return APIError(.internalServerError, "the run's dataset cannot be read: \(error)")
        case let error as DatasetUsageError: return APIError(.internalServerError, "the run's dataset cannot be built: \(error)")
        case let error as ConfigError: return APIError(.internalServerError, "the run's stored config no longer validates: \(error)")
        default: return APIError(.internalServerError, "internal error: \(error)")
        }
    }
}

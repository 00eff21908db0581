import Hummingbird
import Logging

/// Turns every error a handler (or the router, for unknown paths) throws into the API's JSON
/// error answer, and logs the ones that are the server's fault.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let failure = APIError.from(error, request: request)
            if failure.status.code >= 500 { logger.error("\(request.method) \(request.uri.path): \(failure.message)") }
            return try failure.response(from: request, context: context)
        }
    }
}

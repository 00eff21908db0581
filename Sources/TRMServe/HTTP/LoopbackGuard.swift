import Hummingbird

/// When the server listens on loopback only, answers only requests addressed to a loopback name.
/// A web page elsewhere could otherwise point a name it controls at 127.0.0.1 (DNS rebinding)
/// and read the store through the visitor's browser.
struct LoopbackGuard<Context: RequestContext>: RouterMiddleware {
    /// Host names accepted in the `Host` header (without port).
    static var loopbackNames: Set<String> { ["localhost", "127.0.0.1", "::1", "[::1]"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let authority = request.head.authority ?? ""  // HTTP/1.1 `Host` arrives as the authority
        guard Self.loopbackNames.contains(Self.hostName(authority).lowercased()) else {
            throw APIError(
                .forbidden, "this server answers only requests addressed to localhost or 127.0.0.1, not '\(authority)'")
        }
        return try await next(request, context)
    }

    /// "host:port", "[::1]:port" or "host" → the host part.
    static func hostName(_ authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") { return String(authority[...end]) }
        return String(authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }
}

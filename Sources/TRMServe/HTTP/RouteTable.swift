import Hummingbird

/// Registers the server's routes and, for every path it knows, answers the methods that path
/// does not take with 405 and an `Allow` header instead of the router's 404.
struct RouteTable {
    /// A handler of one route.
    typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    let router: Router<BasicRequestContext>
    private var methods: [String: [HTTPRequest.Method]] = [:]
    private var order: [String] = []

    init(router: Router<BasicRequestContext>) { self.router = router }

    /// Answers GET `path` (a Hummingbird path such as `/api/runs/:run`).
    mutating func get(_ path: String, _ handler: @escaping Handler) { add(path, .get, handler) }

    /// Answers POST `path`.
    mutating func post(_ path: String, _ handler: @escaping Handler) { add(path, .post, handler) }

    private mutating func add(_ path: String, _ method: HTTPRequest.Method, _ handler: @escaping Handler) {
        router.on(RouterPath(path), method: method, use: handler)
        if methods[path] == nil { order.append(path) }
        methods[path, default: []].append(method)
    }

    /// Adds the 405 answers; call once, after every route.
    func addMethodNotAllowed() {
        let all: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch]
        for path in order {
            let allowed = methods[path] ?? []
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            for method in all where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
                    var headers = HTTPFields()
                    headers[.allow] = allow
                    throw APIError(.methodNotAllowed, "\(request.uri.path) does not take \(request.method); use \(allow)", headers: headers)
                }
            }
        }
    }
}

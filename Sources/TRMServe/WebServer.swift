import Foundation
import Hummingbird
import Logging
import TRMExperiment

/// `trm-exp serve`: the web UI over one run store. Pages for the runs, one run, a comparison and
/// the solving playground, all drawn in the browser from the JSON API under `/api/`; the HTML,
/// CSS and JavaScript ship with the package, so the pages work offline.
public struct WebServer: Sendable {
    /// Where the server listens and what it serves.
    public struct Options: Sendable {
        /// The run store (SQLite database); it must exist.
        public var storePath: String = RunStore.defaultPath
        /// Address to listen on. The loopback default keeps the store private to this machine.
        public var host = "127.0.0.1"
        /// TCP port; 0 lets the system choose a free one (`run` reports which).
        public var port = 8080
        /// Largest request body accepted (the playground's solve requests are far smaller).
        public var maxBodyBytes = 64 * 1024
        /// Receives warnings and server errors.
        public var logger = Logger(label: "trm-exp.serve")

        /// The defaults: the default store, 127.0.0.1:8080, 64 KiB bodies.
        public init() {}
    }

    /// How the server was configured.
    public let options: Options
    let store: RunStore
    let assets: StaticAssets
    let workshop = ModelWorkshop()

    /// Opens the store and reads the page assets.
    /// - Throws: `RunStoreError` when there is no store at `options.storePath`.
    public init(options: Options) throws {
        self.options = options
        store = try RunStore.openExisting(path: options.storePath)
        assets = try StaticAssets.load()
    }

    /// Whether `host` is a loopback address or name, which only programs on this machine reach.
    public static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        return name == "localhost" || name == "::1" || name == "[::1]" || name.hasPrefix("127.")
    }

    /// Serves until the surrounding task is cancelled, or with `stopOnSignals` until SIGINT or
    /// SIGTERM; requests in flight are finished first.
    /// - Parameters:
    ///   - stopOnSignals: also stop gracefully on SIGINT/SIGTERM (for the command line).
    ///   - onStarted: called once the socket listens, with the base URL (its real port when
    ///     `options.port` is 0).
    public func run(stopOnSignals: Bool = false, onStarted: @escaping @Sendable (URL) async -> Void = { _ in }) async throws {
        let options = options
        let host = options.host.contains(":") && !options.host.hasPrefix("[") ? "[\(options.host)]" : options.host
        let app = Application(
            router: makeRouter(), configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                await onStarted(URL(string: "http://\(host):\(port)/")!)
            }, logger: options.logger)
        if stopOnSignals { try await app.runService() } else { try await app.run() }
    }

    /// Every route behind the middleware that shapes answers: security headers on everything,
    /// JSON errors, and (on loopback) the check that requests are addressed to this machine.
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: SecurityHeaders())
        router.add(middleware: ErrorMiddleware(logger: options.logger))
        if Self.isLoopback(options.host) { router.add(middleware: LoopbackGuard()) }
        var routes = RouteTable(router: router)
        addPageRoutes(&routes)
        addRunRoutes(&routes)
        addCompareRoutes(&routes)
        addPlaygroundRoutes(&routes)
        routes.addMethodNotAllowed()
        return router
    }
}

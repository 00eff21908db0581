import Hummingbird
import TRMExperiment

extension WebServer {
    /// The four pages (one HTML shell each; their scripts fetch the API) and the assets they load.
    func addPageRoutes(_ routes: inout RouteTable) {
        let (assets, store) = (assets, store)
        routes.get("/") { _, _ in try assets.response("runs.html") }
        routes.get("/runs/:run") { _, context in
            // The page's script shows the API's message; the status already tells tools the run is unknown.
            var page = try assets.response("run.html")
            do { _ = try store.resolveRun(try context.pathParameter("run")) } catch let error as RunStoreError where error.kind == .unknownRun {
                page.status = .notFound
            }
            return page
        }
        routes.get("/compare") { _, _ in try assets.response("compare.html") }
        routes.get("/playground") { _, _ in try assets.response("playground.html") }
        routes.get("/assets/:name") { _, context in try assets.response(try context.pathParameter("name")) }
    }
}

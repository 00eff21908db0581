import Foundation
import Hummingbird

/// The pages' HTML, CSS, JavaScript and icon, read once from the package's `Web` resources and
/// served from memory by exact file name. Nothing else on disk is reachable: a request names a
/// key of this table, never a path.
struct StaticAssets: Sendable {
    /// One file and its content type.
    struct Asset: Sendable {
        let bytes: ByteBuffer
        let contentType: String
    }

    private let files: [String: Asset]

    /// Content types of the extensions the folder may hold; other files are not served.
    static let contentTypes = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "svg": "image/svg+xml",
    ]

    /// Reads every servable file of `directory` (default: the bundled `Web` folder).
    /// - Throws: `APIError` when the folder is missing (a broken installation).
    static func load(from directory: URL? = nil) throws -> StaticAssets {
        guard let folder = directory ?? Bundle.module.url(forResource: "Web", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else {
            throw APIError(.internalServerError, "the web assets are missing from this installation; rebuild trm-exp")
        }
        var files: [String: Asset] = [:]
        for name in names {
            let url = folder.appendingPathComponent(name)
            guard let type = contentTypes[url.pathExtension], let data = FileManager.default.contents(atPath: url.path) else { continue }
            files[name] = Asset(bytes: ByteBuffer(bytes: data), contentType: type)
        }
        return StaticAssets(files: files)
    }

    /// The names of the files served.
    var names: [String] { files.keys.sorted() }

    /// The file called `name`.
    /// - Throws: `APIError` 404 for any other name.
    func response(_ name: String) throws -> Response {
        guard let asset = files[name] else { throw APIError.notFound("no asset named '\(name)'") }
        var headers = HTTPFields()
        headers[.contentType] = asset.contentType
        // The files change only with a new build; revalidating each load keeps pages current.
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.bytes))
    }
}

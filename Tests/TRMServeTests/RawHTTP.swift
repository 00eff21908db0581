import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An HTTP answer as the tests read it.
struct HTTPAnswer {
    var status: Int
    /// Header values by lower-cased name.
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }

    /// The `error` field of a JSON error answer.
    var error: String? { json["error"] as? String }
}

/// A minimal HTTP/1.1 client over a plain socket, so the tests can send exactly what they mean,
/// including what browsers and URL libraries would normalise away (`..` in a path, a foreign
/// `Host`, a body larger than announced).
enum RawHTTP {
    struct Failure: Error { var message: String }

    /// Sends one request (`Connection: close`) and reads the whole answer.
    static func request(
        port: Int, _ method: String = "GET", _ path: String, headers: [String: String] = [:], body: Data? = nil
    ) async throws -> HTTPAnswer {
        var head = "\(method) \(path) HTTP/1.1\r\n"
        var fields = ["Host": "127.0.0.1:\(port)", "Connection": "close"].merging(headers) { $1 }
        if let body, fields["Content-Length"] == nil { fields["Content-Length"] = String(body.count) }
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        return try await send(port: port, Data((head + "\r\n").utf8) + (body ?? Data()))
    }

    /// A JSON POST.
    static func post(port: Int, _ path: String, json: Any) async throws -> HTTPAnswer {
        try await request(
            port: port, "POST", path, headers: ["Content-Type": "application/json"], body: try JSONSerialization.data(withJSONObject: json))
    }

    /// Sends raw bytes and reads the answer. The socket calls block, so they run on a thread of
    /// their own: blocking the few threads of Swift's concurrency pool would starve the server
    /// under test, which answers on that same pool.
    static func send(port: Int, _ bytes: Data) async throws -> HTTPAnswer {
        try await onOwnThread { try exchange(port: port, bytes) }
    }

    private static func exchange(port: Int, _ bytes: Data) throws -> HTTPAnswer {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(message: "socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(message: "cannot connect to 127.0.0.1:\(port)") }
        // The server may answer (413) and close before reading everything; a failed write is then fine.
        #if canImport(Glibc)
            _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        #else
            _ = bytes.withUnsafeBytes { Darwin.send(fd, $0.baseAddress, $0.count, 0) }
        #endif
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
            if let answer = complete(received) { return answer }
        }
        guard let answer = complete(received, atEnd: true) else { throw Failure(message: "incomplete answer: \(received.count) bytes") }
        return answer
    }

    /// The answer once its head and `Content-Length` bytes of body have arrived (or the connection closed).
    private static func complete(_ data: Data, atEnd: Bool = false) -> HTTPAnswer? {
        guard let split = data.firstRange(of: Data("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: data[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = data[split.upperBound...]
        if let length = headers["content-length"].flatMap({ Int($0) }) {
            guard body.count >= length else { return nil }
            return HTTPAnswer(status: status, headers: headers, body: Data(body.prefix(length)))
        }
        return atEnd ? HTTPAnswer(status: status, headers: headers, body: Data(body)) : nil
    }
}

/// Runs blocking work on a new thread and awaits its result without holding a concurrency-pool thread.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}

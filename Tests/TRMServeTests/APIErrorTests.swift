import Foundation
import Testing

/// Every way a request can be wrong, and the status and message it gets: 400 for malformed
/// requests, 404 for what does not exist, 405, 409, 413. Each answer is `{"error": "..."}`.
@Suite struct APIErrorTests {
    struct Case: CustomStringConvertible {
        var method = "GET"
        var path: String
        var body: String?
        var status: Int
        /// A phrase the error message must contain.
        var says: String
        var description: String { "\(method) \(path) \(body ?? "")" }
    }

    private func check(_ cases: [Case]) async throws {
        let fixture = try await Fixture.get()
        for c in cases {
            let answer = try await RawHTTP.request(
                port: fixture.port, c.method, c.path.replacingOccurrences(of: "LIVE", with: fixture.live.id),
                headers: c.body == nil ? [:] : ["Content-Type": "application/json"],
                body: c.body.map { Data($0.replacingOccurrences(of: "LIVE", with: fixture.live.id).utf8) })
            #expect(answer.status == c.status, "\(c): \(answer.status) \(answer.text)")
            #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true, "\(c)")
            #expect(answer.json.keys.sorted() == ["error"], "\(c): \(answer.text)")
            #expect(answer.error?.contains(c.says) == true, "\(c): \(answer.error ?? answer.text)")
        }
    }

    @Test func queryMistakes() async throws {
        try await check([
            Case(path: "/api/runs?status=done", status: 400, says: "status must be one of running, finished, interrupted, failed"),
            Case(path: "/api/runs?colour=red", status: 400, says: "unknown query parameter 'colour'; this endpoint takes name, status"),
            Case(path: "/api/runs/smoke-web?verbose=1", status: 400, says: "unknown query parameter 'verbose'; this endpoint takes no parameters"),
            Case(path: "/api/runs/smoke-web/metrics?step=3", status: 400, says: "this endpoint takes key, split"),
            Case(path: "/api/runs/smoke-web/k-statistics?step=last", status: 400, says: "step must be an integer"),
            Case(path: "/api/runs/smoke-web/k-statistics?step=-1", status: 400, says: "step must be an integer"),
            Case(path: "/api/runs/smoke-web/puzzles?limit=0", status: 400, says: "limit must be an integer in 1…500"),
            Case(path: "/api/runs/smoke-web/puzzles?limit=many", status: 400, says: "limit must be an integer"),
            Case(path: "/api/runs/smoke-web/puzzles?offset=-3", status: 400, says: "offset must be an integer"),
            Case(path: "/api/runs/smoke-web/generate?seed=x", status: 400, says: "seed must be an integer in 0…4294967295"),
            Case(path: "/api/compare", status: 400, says: "name 1 to 16 runs"),
            Case(path: "/api/compare?runs=smoke-web", status: 400, says: "unknown query parameter 'runs'"),
        ])
    }

    @Test func unknownThings() async throws {
        try await check([
            Case(path: "/api/runs/no-such-run", status: 404, says: "no run has the id, id prefix or name \"no-such-run\""),
            Case(path: "/api/runs/no-such-run/metrics", status: 404, says: "no-such-run"),
            Case(path: "/api/runs/no-such-run/k-statistics", status: 404, says: "no-such-run"),
            Case(path: "/api/runs/no-such-run/puzzles", status: 404, says: "no-such-run"),
            Case(path: "/api/runs/no-such-run/generate", status: 404, says: "no-such-run"),
            Case(path: "/api/runs/\(Fixture.ambiguousPrefix)", status: 400, says: "is the start of 2 run ids"),
            Case(path: "/api/runs/smoke-web/k-statistics?step=45", status: 404, says: "no K statistics at step 45 on split 'test'; steps: 30, 60"),
            Case(path: "/api/runs/smoke-web/k-statistics?split=eval", status: 404, says: "no K statistics on split 'eval'; splits: test"),
            Case(path: "/api/compare?run=smoke-web&run=no-such-run", status: 404, says: "no-such-run"),
            Case(path: "/api/compare?run=group:nobody", status: 404, says: "no runs in group \"nobody\""),
            Case(path: "/api/nothing", status: 404, says: "no such page or endpoint: GET /api/nothing"),
            Case(path: "/api/runs/smoke-web/everything", status: 404, says: "no such page or endpoint"),
            Case(path: "/runs", status: 404, says: "no such page or endpoint"),
            Case(path: "/assets/missing.js", status: 404, says: "no asset named 'missing.js'"),
        ])
        let fixture = try await Fixture.get()
        let page = try await RawHTTP.request(port: fixture.port, "GET", "/runs/no-such-run")
        #expect(page.status == 404 && page.text.contains("data-page=\"run\""), "the run page says 404 and shows the API's message")
    }

    @Test func wrongMethods() async throws {
        try await check([
            Case(path: "/api/solve", status: 405, says: "/api/solve does not take GET; use POST"),
            Case(method: "DELETE", path: "/api/runs/smoke-web", status: 405, says: "does not take DELETE; use GET"),
            Case(method: "POST", path: "/api/runs", body: "{}", status: 405, says: "use GET"),
            Case(method: "PUT", path: "/", body: "x", status: 405, says: "use GET"),
        ])
        let fixture = try await Fixture.get()
        #expect(try await RawHTTP.request(port: fixture.port, "GET", "/api/solve").headers["allow"] == "POST")
    }

    @Test func solveBodyMistakes() async throws {
        func solve(_ body: String, _ status: Int, _ says: String) -> Case {
            Case(method: "POST", path: "/api/solve", body: body, status: status, says: says)
        }
        try await check([
            solve("", 400, "the request needs a JSON object as its body"),
            solve("{\"run\": ", 400, "the body is not valid JSON"),
            solve("[1, 2]", 400, "the body must be a JSON object"),
            solve("{\"puzzle\": \"1.3...1.2..3.3..\"}", 400, "\"run\" is required"),
            solve("{\"run\": 7, \"example\": 1}", 400, "\"run\" is required"),
            solve("{\"run\": \"smoke-web\", \"example\": 1, \"colour\": 2}", 400, "unknown field 'colour'"),
            solve("{\"run\": \"smoke-web\"}", 400, "give exactly one of \"puzzle\""),
            solve("{\"run\": \"smoke-web\", \"example\": 1, \"puzzle\": \"1.3...1.2..3.3..\"}", 400, "got puzzle and example"),
            solve("{\"run\": \"smoke-web\", \"puzzle\": \"1.3...1.2..3.3.\"}", 400, "expected 16 characters of 1-4 and '.' (blank), found 15"),
            solve("{\"run\": \"smoke-web\", \"puzzle\": \"1.3...1.2..3.3.x\"}", 400, "found 'x' at position 16"),
            solve("{\"run\": \"smoke-web\", \"puzzle\": 1234}", 400, "\"puzzle\" must be a string"),
            solve("{\"run\": \"smoke-web\", \"example\": 64}", 400, "example 64 is outside the run's test split (0…63)"),
            solve("{\"run\": \"smoke-web\", \"example\": -1}", 400, "\"example\" must be a non-negative integer"),
            solve("{\"run\": \"smoke-web\", \"example\": 1.5}", 400, "\"example\" must be a non-negative integer"),
            solve("{\"run\": \"smoke-web\", \"task\": \"007bbfb7\"}", 400, "\"task\" is for ARC runs"),
            solve("{\"run\": \"smoke-web\", \"example\": 1, \"k\": 0}", 400, "\"k\" must be an integer in 1…64"),
            solve("{\"run\": \"smoke-web\", \"example\": 1, \"k\": 65}", 400, "\"k\" must be an integer in 1…64"),
            solve("{\"run\": \"smoke-web\", \"example\": 1, \"k\": true}", 400, "\"k\" must be an integer"),
            solve(
                "{\"run\": \"smoke-web\", \"example\": 1, \"checkpoint\": \"soon\"}", 400,
                "\"checkpoint\" must be \"latest\", \"best\" or a step number"),
            solve("{\"run\": \"smoke-web\", \"example\": 1, \"checkpoint\": false}", 400, "\"checkpoint\" must be"),
            solve("{\"run\": \"smoke-web\", \"example\": 1, \"ema\": \"yes\"}", 400, "\"ema\" must be true or false"),
            solve("{\"run\": \"smoke-web\", \"example\": 1, \"ema\": true}", 400, "trained without EMA"),
            solve("{\"run\": \"smoke-web\", \"example\": 1, \"checkpoint\": 45}", 404, "(smoke-web) has no such checkpoint; it has steps"),
            solve("{\"run\": \"smoke-web\", \"example\": 1, \"ema\": 1}", 400, "\"ema\" must be true or false"),
            solve("{\"run\": \"no-such-run\", \"example\": 1}", 404, "no-such-run"),
            solve("{\"run\": \"\(Fixture.ambiguousPrefix)\", \"example\": 1}", 400, "is the start of 2 run ids"),
            solve("{\"run\": \"LIVE\", \"example\": 1}", 409, "has no checkpoints yet"),
        ])
    }

    @Test func bodiesAreSizeLimited() async throws {
        let fixture = try await Fixture.get()
        // The fixture's server accepts 4096 bytes: a long puzzle string is refused before it is parsed.
        let large = "{\"run\": \"smoke-web\", \"puzzle\": \"\(String(repeating: ".", count: 5000))\"}"
        let refused = try await RawHTTP.request(port: fixture.port, "POST", "/api/solve", body: Data(large.utf8))
        #expect(refused.status == 413 && refused.error == "the request body is larger than the 4096 bytes this server accepts")
        // A body longer than its announced length is refused too (streamed, without Content-Length).
        let chunked =
            Data("POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            + Data((String(5000, radix: 16) + "\r\n" + String(repeating: " ", count: 5000) + "\r\n0\r\n\r\n").utf8)
        let streamed = try await RawHTTP.send(port: fixture.port, chunked)
        #expect(streamed.status == 413, "\(streamed.text)")
        let fits = try await RawHTTP.post(port: fixture.port, "/api/solve", json: ["run": "smoke-web", "example": 0, "k": 1])
        #expect(fits.status == 200)
    }
}

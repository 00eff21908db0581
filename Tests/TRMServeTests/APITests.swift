import Foundation
import TRMData
import TRMExperiment
import Testing

/// Every endpoint of the JSON API against a real server on a loopback port, with answers checked
/// against what the run store and the solve code compute directly.
@Suite struct APITests {
    private func get(_ path: String) async throws -> HTTPAnswer {
        let fixture = try await Fixture.get()
        return try await RawHTTP.request(port: fixture.port, "GET", path)
    }

    @Test func runsListShowsStatusProgressAndFilters() async throws {
        let fixture = try await Fixture.get()
        let answer = try await get("/api/runs")
        #expect(answer.status == 200 && answer.headers["content-type"]?.hasPrefix("application/json") == true)
        let runs = try #require(answer.json["runs"] as? [[String: Any]])
        #expect(runs.count == 6)
        let smoke = try #require(runs.first { $0["id"] as? String == fixture.smoke.id })
        #expect(smoke["name"] as? String == "smoke-web" && smoke["status"] as? String == "finished")
        #expect(smoke["step"] as? Int == 60 && smoke["total_steps"] as? Int == 60 && smoke["progress"] as? Double == 1)
        let best = try fixture.store.metrics(run: fixture.smoke.id, split: "test", key: "exact_accuracy").map(\.value).max()
        #expect(smoke["best_exact_accuracy"] as? Double == best)
        let live = try #require(runs.first { $0["id"] as? String == fixture.live.id })
        #expect(live["status"] as? String == "running" && live["steps_done"] as? Int == 0)
        #expect(live["step"] as? Int == 10 && live["total_steps"] as? Int == 60)
        #expect(abs((live["progress"] as? Double ?? 0) - 10.0 / 60) < 1e-12)
        #expect(live["ended_at"] is NSNull && live["best_exact_accuracy"] is NSNull)

        func names(_ query: String) async throws -> [String] {
            let answer = try await get("/api/runs?\(query)")
            #expect(answer.status == 200, "\(query): \(answer.text)")
            return (answer.json["runs"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }.sorted()
        }
        #expect(try await names("status=running") == ["live-web"])
        #expect(try await names("status=finished") == ["maze-web", "smoke-web", "smoke-web-short"])
        #expect(try await names("name=SHORT") == ["smoke-web-short"])
        #expect(try await names("name=smoke&status=finished") == ["smoke-web", "smoke-web-short"])
        #expect(try await names("name=\(Fixture.ambiguousPrefix)") == ["pending-000001", "pending-000002"])
        #expect(try await names("status=&name=").count == 6)
        #expect(try await names("name=nothing-like-this").isEmpty)
    }

    @Test func runDetailHasConfigCheckpointsMetricsAndEvaluations() async throws {
        let fixture = try await Fixture.get()
        for reference in [fixture.smoke.id, "smoke-web", String(fixture.smoke.id.prefix(8))] {
            let answer = try await get("/api/runs/\(reference)")
            #expect(answer.status == 200, "\(reference): \(answer.text)")
            let run = try #require(answer.json["run"] as? [String: Any])
            #expect(run["id"] as? String == fixture.smoke.id && run["config_hash"] as? String == fixture.smoke.config_hash)
            #expect(run["dataset_digest"] as? String == fixture.smoke.dataset_digest)
        }
        let detail = try await get("/api/runs/smoke-web").json
        let config = try #require(detail["config"] as? [String: Any])
        // The stored config comes back value for value (numbers stay numbers, 1 does not become true).
        let stored = try JSONSerialization.jsonObject(with: Data(fixture.smoke.config_json.utf8))
        #expect(
            try JSONSerialization.data(withJSONObject: config, options: .sortedKeys)
                == JSONSerialization.data(withJSONObject: stored, options: .sortedKeys))
        #expect(try await get("/api/runs/smoke-web").text.contains("\"lr_min_ratio\":1"))
        #expect((config["dataset"] as? [String: Any])?["kind"] as? String == "sudoku")
        #expect((config["evaluation"] as? [String: Any])?["max_k"] as? Int == 4)
        let checkpoints = try #require(detail["checkpoints"] as? [[String: Any]])
        let records = try fixture.store.checkpoints(run: fixture.smoke.id)
        #expect(checkpoints.compactMap { $0["step"] as? Int } == records.map(\.step))
        #expect(checkpoints.compactMap { $0["sha256"] as? String } == records.map(\.sha256))
        #expect(checkpoints.allSatisfy { $0["path"] == nil }, "file paths stay on the server")
        let metrics = try #require(detail["metrics"] as? [[String: Any]])
        let loss = try #require(metrics.first { $0["split"] as? String == "train" && $0["key"] as? String == "loss" })
        #expect(loss["count"] as? Int == 12 && loss["last_step"] as? Int == 60)
        #expect(detail["k_evaluations"] as? [String: [Int]] == ["test": [30, 60]])

        // Percent-encoded characters in the path are decoded.
        let encoded = try await get("/api/runs/smoke%2Dweb%2Dshort")
        #expect((encoded.json["run"] as? [String: Any])?["id"] as? String == fixture.short.id)
    }

    @Test func metricsComeAsSeriesInStepOrder() async throws {
        let fixture = try await Fixture.get()
        let all = try await get("/api/runs/smoke-web/metrics")
        let series = try #require(all.json["series"] as? [[String: Any]])
        let loss = try #require(series.first { $0["split"] as? String == "train" && $0["key"] as? String == "loss" })
        let points = try #require(loss["points"] as? [[Double]])
        let stored = try fixture.store.metrics(run: fixture.smoke.id, split: "train", key: "loss")
        #expect(points.map { Int($0[0]) } == stored.map(\.step))
        // Values are sent exactly (the shortest text that reads back as the same double); the
        // text is checked because Foundation's JSON parser on Linux rounds some doubles.
        #expect(points.count == stored.count)
        for record in stored { #expect(all.text.contains("[\(Double(record.step)),\(record.value)]"), "\(record.value)") }
        #expect(Set(series.compactMap { $0["split"] as? String }) == ["train", "test"])

        let filtered = try await get("/api/runs/smoke-web/metrics?split=test&key=exact_accuracy")
        let only = try #require(filtered.json["series"] as? [[String: Any]])
        #expect(only.count == 1 && (only[0]["points"] as? [[Double]])?.map { Int($0[0]) } == [30, 60])
    }

    @Test func kStatisticsOfTheLatestOrAChosenEvaluation() async throws {
        let fixture = try await Fixture.get()
        let latest = try await get("/api/runs/smoke-web/k-statistics").json
        #expect(latest["step"] as? Int == 60 && latest["split"] as? String == "test" && latest["max_k"] as? Int == 4)
        let stored = try #require(try fixture.store.kStatistics(run: fixture.smoke.id, evalStep: 60))
        let accuracy = try #require(latest["accuracy"] as? [[String: Any]])
        #expect(accuracy.compactMap { $0["k"] as? Int } == [1, 2, 3, 4])
        #expect(accuracy.compactMap { $0["exact_accuracy"] as? Double } == stored.accuracy.map(\.exactAccuracy))
        #expect(accuracy.compactMap { $0["token_accuracy"] as? Double } == stored.accuracy.map(\.tokenAccuracy))
        let halting = try #require(latest["halting"] as? [[String: Any]])
        #expect(halting.compactMap { $0["rule"] as? String } == ["q>0", "p≥0.5"])
        for rule in halting { #expect((rule["histogram"] as? [Int])?.reduce(0, +) == 64) }
        let examples = try #require(latest["examples"] as? [String: Any])
        #expect(examples["count"] as? Int == 64)
        let difficulty = try #require(latest["difficulty"] as? [[String: Any]])
        #expect(difficulty.compactMap { $0["count"] as? Int }.reduce(0, +) == stored.difficultyBuckets.map(\.count).reduce(0, +))

        let earlier = try await get("/api/runs/smoke-web/k-statistics?split=test&step=30").json
        let stored30 = try #require(try fixture.store.kStatistics(run: fixture.smoke.id, evalStep: 30))
        #expect(earlier["step"] as? Int == 30)
        #expect((earlier["accuracy"] as? [[String: Any]])?.compactMap { $0["token_accuracy"] as? Double } == stored30.accuracy.map(\.tokenAccuracy))

        // A run without evaluations answers with no statistics rather than an error.
        let none = try await get("/api/runs/\(fixture.live.id)/k-statistics")
        #expect(none.status == 200 && none.json["step"] is NSNull && none.json["accuracy"] == nil)
    }

    @Test func puzzlesOfTheTestSplitAndGeneratedOnes() async throws {
        let fixture = try await Fixture.get()
        let page = try await get("/api/runs/smoke-web/puzzles?offset=2&limit=3").json
        #expect(page["kind"] as? String == "sudoku" && page["total"] as? Int == 64 && page["offset"] as? Int == 2)
        let puzzles = try #require(page["puzzles"] as? [[String: Any]])
        #expect(puzzles.compactMap { $0["example"] as? Int } == [2, 3, 4])
        let dataset = try DatasetPreparation.prepare(try fixture.smoke.experimentConfig().dataset, seed: 0).dataset
        for entry in puzzles {
            let index = try #require(entry["example"] as? Int)
            #expect(entry["puzzle"] as? String == PuzzleGrid(kind: .sudoku, tokens: dataset.test.input(index)).text)
            #expect(entry["answer"] as? String == PuzzleGrid(kind: .sudoku, tokens: dataset.test.label(index)).text)
            #expect(entry["rows"] as? Int == 4 && entry["columns"] as? Int == 4)
        }
        let tail = try await get("/api/runs/smoke-web/puzzles?offset=62").json
        #expect((tail["puzzles"] as? [[String: Any]])?.count == 2)

        let generated = try await get("/api/runs/smoke-web/generate?seed=11").json
        let expected = try SolveInput.generated(for: try fixture.smoke.experimentConfig(), seed: 11)
        #expect(generated["seed"] as? Int == 11 && generated["puzzle"] as? String == expected.grid.text)
        #expect(generated["answer"] as? String == PuzzleGrid(kind: .sudoku, tokens: expected.answer!).text)
        let random = try await get("/api/runs/smoke-web/generate").json
        #expect(random["seed"] is Int && (random["puzzle"] as? String)?.count == 16)
    }

    @Test func compareReportsTablesAndChartData() async throws {
        let fixture = try await Fixture.get()
        let answer = try await get("/api/compare?run=smoke-web&run=\(fixture.short.id)")
        #expect(answer.status == 200, "\(answer.text)")
        let subjects = try #require(answer.json["subjects"] as? [[String: Any]])
        #expect(subjects.compactMap { ($0["runs"] as? [String])?.first } == [fixture.smoke.id, fixture.short.id])
        let comparison = try RunComparison(references: [fixture.smoke.id, fixture.short.id], store: fixture.store)
        let tables = try #require(answer.json["tables"] as? [[String: Any]])
        let expected = ComparisonTables.build(comparison)
        #expect(tables.compactMap { $0["title"] as? String } == expected.map(\.title))
        #expect(tables.compactMap { $0["rows"] as? [[String]] } == expected.map(\.rows))
        let lines = try #require(answer.json["line_charts"] as? [[String: Any]])
        #expect(lines.compactMap { $0["title"] as? String } == ["Training loss", "Test exact accuracy", "Exact accuracy at K"])
        let loss = try #require((lines[0]["series"] as? [[String: Any]])?.first?["points"] as? [[Double]])
        let losses = try fixture.store.metrics(run: fixture.smoke.id, split: "train", key: "loss")
        #expect(loss.count == losses.count)
        for record in losses { #expect(answer.text.contains("[\(Double(record.step)),\(record.value)]")) }
        let bars = try #require(answer.json["bar_charts"] as? [[String: Any]])
        #expect(bars.count == 2)
        #expect(((bars[0]["series"] as? [[String: Any]])?.first?["values"] as? [Int])?.reduce(0, +) == 64)
    }

    @Test func solveTracesTheSameStepsAsTheSolveCommand() async throws {
        let fixture = try await Fixture.get()
        let experiment = try fixture.smoke.experimentConfig()
        let dataset = try DatasetPreparation.prepare(experiment.dataset, seed: 0).dataset
        let record = try #require(try fixture.store.checkpoints(run: fixture.smoke.id).first { $0.step == 40 })
        let loaded = try LoadedCheckpoint.load(run: fixture.smoke, record: record, ema: false)

        let answer = try await RawHTTP.post(port: fixture.port, "/api/solve", json: ["run": "smoke-web", "checkpoint": 40, "k": 3, "example": 5])
        #expect(answer.status == 200, "\(answer.text)")
        #expect(answer.json["k"] as? Int == 3 && answer.json["step"] as? Int == 40)
        #expect((answer.json["checkpoint"] as? [String: Any])?["sha256"] as? String == record.sha256)
        let traces = try #require(answer.json["puzzles"] as? [[String: Any]])
        let expected = try SolveSession.trace(
            [try SolveInput.testPuzzle(5, dataset: dataset, kind: .sudoku)], loaded: loaded, experiment: experiment, maxK: 3)
        let steps = try #require(traces.first?["steps"] as? [[String: Any]])
        #expect(steps.compactMap { $0["answer"] as? String } == expected.traces[0].steps.map(\.grid.text))
        for step in expected.traces[0].steps { #expect(answer.text.contains("\"q_halt\":\(Double(step.qHalt))"), "step \(step.k)") }
        #expect(steps.allSatisfy { $0["correct"] is Bool }, "test puzzles carry their answers")
        #expect(traces.first?["answer"] as? String == PuzzleGrid(kind: .sudoku, tokens: dataset.test.label(5)).text)

        // A pasted puzzle (line breaks ignored), the latest checkpoint and the run's K by default.
        let pasted = try await RawHTTP.post(port: fixture.port, "/api/solve", json: ["run": fixture.smoke.id, "puzzle": "1.3.\n..1.\n2..3\n.3..\n"])
        #expect(pasted.status == 200, "\(pasted.text)")
        #expect(pasted.json["k"] as? Int == 4 && pasted.json["step"] as? Int == 60)
        let trace = try #require((pasted.json["puzzles"] as? [[String: Any]])?.first)
        #expect(trace["puzzle"] as? String == "1.3...1.2..3.3..")
        #expect((trace["steps"] as? [[String: Any]])?.count == 4 && trace["answer"] == nil)
        let best = try await RawHTTP.post(port: fixture.port, "/api/solve", json: ["run": "smoke-web", "checkpoint": "best", "example": 0, "k": 1])
        #expect(best.status == 200 && (best.json["checkpoint"] as? [String: Any])?["is_best"] as? Bool == true)
    }

    @Test func mazesArePastedRowByRowAndGenerated() async throws {
        let fixture = try await Fixture.get()
        let rows = ["S  #    ", " # # ## ", "   #    ", "## # ## ", "    #   ", " ##   # ", "  #  # G", "#    #  "]
        let answer = try await RawHTTP.post(
            port: fixture.port, "/api/solve", json: ["run": "maze-web", "puzzle": rows.joined(separator: "\n"), "k": 2])
        #expect(answer.status == 200, "\(answer.text)")
        let trace = try #require((answer.json["puzzles"] as? [[String: Any]])?.first)
        #expect(trace["kind"] as? String == "maze" && trace["puzzle"] as? String == rows.joined())
        #expect(trace["puzzle_rows"] as? Int == 8 && trace["puzzle_columns"] as? Int == 8)
        let steps = try #require(trace["steps"] as? [[String: Any]])
        #expect(steps.count == 2 && steps.allSatisfy { ($0["answer"] as? String)?.count == 64 })

        let wrong = try await RawHTTP.post(port: fixture.port, "/api/solve", json: ["run": "maze-web", "puzzle": rows.dropLast().joined()])
        #expect(wrong.status == 400 && wrong.error?.contains("(a 8×8 maze, row by row), found 56") == true, "\(wrong.text)")
        let generated = try await get("/api/runs/maze-web/generate?seed=4").json
        #expect(generated["kind"] as? String == "maze" && (generated["puzzle"] as? String)?.count == 64)
        #expect((generated["answer"] as? String)?.contains("o") == true, "the answer marks the path")
    }

    @Test func pagesAndAssetsComeFromTheBundleOnly() async throws {
        let fixture = try await Fixture.get()
        for (path, marker) in [
            ("/", "data-page=\"runs\""), ("/runs/smoke-web", "data-page=\"run\""), ("/compare", "data-page=\"compare\""),
            ("/playground?run=smoke-web", "data-page=\"playground\""),
        ] {
            let page = try await get(path)
            #expect(page.status == 200 && page.text.contains(marker), "\(path)")
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            // Offline: nothing is loaded from another origin.
            #expect(!page.text.contains("http://") && !page.text.contains("https://"), "\(path)")
        }
        let bundled = try FileManager.default.contentsOfDirectory(atPath: Fixture.repository.appendingPathComponent("Sources/TRMServe/Web").path)
        for name in bundled {
            let asset = try await get("/assets/\(name)")
            #expect(asset.status == 200, "\(name)")
            let file = try Data(contentsOf: Fixture.repository.appendingPathComponent("Sources/TRMServe/Web/\(name)"))
            #expect(asset.body == file, "\(name) is served as it ships")
        }
        #expect(try await get("/assets/charts.js").headers["content-type"] == "text/javascript; charset=utf-8")
        for name in bundled {
            // The SVG namespace is a name, not a location; nothing else may point off this server.
            let text = try await get("/assets/\(name)").text.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
            #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"), "\(name)")
        }

        // Only names in the bundle are served: no path reaches other files.
        for path in [
            "/assets/../Package.swift", "/assets/..%2F..%2FPackage.swift", "/assets/%2e%2e/Package.swift", "/assets/../../../../etc/passwd",
            "/assets/", "/assets/Web", "/Package.swift", "/runs/../Package.swift", "/assets/.%2E%2FWebServer.swift",
            "/\(fixture.folder.path)/trm.sqlite", "/assets/trm.sqlite",
        ] {
            let answer = try await RawHTTP.request(port: fixture.port, "GET", path)
            #expect(answer.status == 404 || answer.status == 400, "\(path): \(answer.status)")
            #expect(!answer.text.contains("PackageDescription") && !answer.text.contains("root:") && !answer.text.contains("SQLite"), "\(path)")
            #expect(answer.error != nil, "\(path) answers a JSON error")
        }
    }

    @Test func answersCarrySecurityHeadersAndRefuseForeignHosts() async throws {
        let fixture = try await Fixture.get()
        let page = try await get("/")
        #expect(page.headers["content-security-policy"]?.contains("default-src 'self'") == true)
        #expect(page.headers["content-security-policy"]?.contains("script-src 'self'") == true)
        #expect(page.headers["x-content-type-options"] == "nosniff")
        let error = try await get("/api/nothing")
        #expect(error.headers["content-security-policy"] != nil, "error answers are covered too")

        for host in ["localhost:\(fixture.port)", "127.0.0.1", "[::1]:\(fixture.port)"] {
            #expect(try await RawHTTP.request(port: fixture.port, "GET", "/api/runs", headers: ["Host": host]).status == 200, "\(host)")
        }
        for host in ["evil.example", "evil.example:\(fixture.port)", "127.0.0.1.evil.example"] {
            let refused = try await RawHTTP.request(port: fixture.port, "GET", "/api/runs", headers: ["Host": host])
            #expect(refused.status == 403 && refused.error?.contains("localhost") == true, "\(host)")
        }
    }
}

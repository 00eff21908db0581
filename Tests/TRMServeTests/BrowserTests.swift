import Foundation
import TRMExperiment
import Testing

/// Every page loaded in headless Chromium against the fixture's server: the DOM after the
/// scripts ran must show the store's data (names, chart points, a solved grid), and a
/// screenshot of each page lands in `.build/web-screenshots/` for a person to look at.
@Suite(.serialized) struct BrowserTests {
    private func page(_ path: String, screenshot name: String) async throws -> String {
        let fixture = try await Fixture.get()
        let url = URL(string: path, relativeTo: fixture.url)!.absoluteURL
        let dom = try await Browser.dom(url)
        try await Browser.screenshot(url, name: name)
        // Scripts that failed leave the page's error box filled.
        #expect(!dom.contains("class=\"error\">") || dom.contains("class=\"error\" hidden"), "\(path): \(errorText(dom) ?? "")")
        return dom
    }

    /// The text of the page's error box when it is shown.
    private func errorText(_ dom: String) -> String? {
        guard let range = dom.range(of: "<div id=\"error\" class=\"error\">") else { return nil }
        return String(dom[range.upperBound...].prefix { $0 != "<" })
    }

    /// Every match of `pattern`'s first capture group.
    private func captures(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    @Test func runsPageListsRunsWithLiveProgressAndFilters() async throws {
        let fixture = try await Fixture.get()
        let dom = try await page("/", screenshot: "runs")
        let ids = captures(#"<tr data-run-id="([0-9a-f]+)""#, in: dom)
        #expect(Set(ids) == Set(try fixture.store.listRuns().map(\.run.id)))
        #expect(dom.contains(#"class="run-name">smoke-web</a>"#) && dom.contains(#"class="run-name">smoke-web-short</a>"#))
        // The running run shows its step out of the run's length, and the page says it refreshes.
        #expect(dom.contains("10 / 60"))
        #expect(dom.contains("· live"))

        let finished = try await page("/?status=finished&name=smoke", screenshot: "runs-filtered")
        #expect(Set(captures(#"<tr data-run-id="([0-9a-f]+)""#, in: finished)) == [fixture.smoke.id, fixture.short.id])
    }

    @Test func runPageDrawsCurvesKStatisticsAndCheckpoints() async throws {
        let fixture = try await Fixture.get()
        let dom = try await page("/runs/\(fixture.smoke.id)", screenshot: "run")
        #expect(dom.contains(#"<h1 id="run-name">smoke-web"#))
        let losses = try fixture.store.metrics(run: fixture.smoke.id, split: "train", key: "loss")
        // One polyline per series, with as many drawn points as the store has values.
        #expect(dom.contains(#"class="series" data-label="train loss" data-count="\#(losses.count)""#))
        let lossPoints = captures(#"<circle class="point" data-label="train loss" data-x="(\d+)""#, in: dom)
        #expect(lossPoints == losses.map { String($0.step) })
        #expect(dom.contains(#"class="series" data-label="test" data-count="2""#), "test exact accuracy at steps 30 and 60")
        #expect(dom.contains(#"class="series" data-label="exact" data-count="4""#), "accuracy at K = 1…4")
        // Halting histograms: every bar's value is a count of test examples; each rule sums to 64.
        let statistics = try #require(try fixture.store.kStatistics(run: fixture.smoke.id))
        let bars = captures(#"<rect class="bar" data-label="[^"]*" data-category="\d+" data-value="(\d+)""#, in: dom)
        #expect(bars.compactMap(Int.init) == statistics.halting.flatMap(\.histogram))
        #expect(statistics.halting.count == 2 && statistics.halting.allSatisfy { $0.histogram.reduce(0, +) == 64 })
        #expect(dom.contains(#"data-title="Optimal K by difficulty""#))
        let steps = captures(#"<tr data-step="(\d+)""#, in: dom).compactMap(Int.init)
        #expect(steps == (try fixture.store.checkpoints(run: fixture.smoke.id)).map(\.step).reversed())
        #expect(dom.contains("&quot;sudoku_size&quot;: &quot;4&quot;") || dom.contains(#""sudoku_size": "4""#), "the config is shown")
    }

    @Test func unknownRunPageSaysSo() async throws {
        let dom = try await Browser.dom(URL(string: "runs/no-such-run", relativeTo: try await Fixture.get().url)!.absoluteURL)
        #expect(errorText(dom)?.contains("no run has the id, id prefix or name \"no-such-run\"") == true, "\(errorText(dom) ?? "no error shown")")
    }

    @Test func comparePageShowsTheReportAsCharts() async throws {
        let fixture = try await Fixture.get()
        let dom = try await page("/compare?run=\(fixture.smoke.id)&run=smoke-web-short", screenshot: "compare")
        let labels = ["smoke-web (\(fixture.smoke.id.prefix(6)))", "smoke-web-short (\(fixture.short.id.prefix(6)))"]
        for (label, points) in zip(labels, [12, 6]) {
            #expect(dom.contains(#"<strong class="subject">\#(label)</strong>"#))
            #expect(dom.contains(#"class="series" data-label="\#(label)" data-count="\#(points)""#), "its loss curve")
        }
        let titles = captures(#"<svg class="chart[^"]*"[^>]*data-title="([^"]+)""#, in: dom)
        #expect(titles.starts(with: ["Training loss", "Test exact accuracy", "Exact accuracy at K"]))
        #expect(titles.filter { $0.hasPrefix("Halting step") }.count == 2)
        let comparison = try RunComparison(references: [fixture.smoke.id, fixture.short.id], store: fixture.store)
        let tables = captures(#"<div class="report-table" data-title="([^"]+)""#, in: dom)
        #expect(tables == ComparisonTables.build(comparison).map(\.title))
        #expect(
            captures(#"<input type="checkbox" name="run" value="([0-9a-f]+)" checked"#, in: dom).sorted()
                == [fixture.smoke.id, fixture.short.id].sorted())
    }

    @Test func playgroundSolvesAPuzzleStepByStep() async throws {
        let fixture = try await Fixture.get()
        let dom = try await page("/playground?run=smoke-web&checkpoint=60&k=4&example=7&solve=1", screenshot: "playground")
        let solved = try await RawHTTP.post(port: fixture.port, "/api/solve", json: ["run": "smoke-web", "checkpoint": 60, "k": 4, "example": 7])
        let trace = try #require((solved.json["puzzles"] as? [[String: Any]])?.first)
        let steps = try #require(trace["steps"] as? [[String: Any]])
        // The grid shows step K: its cells are the model's answer after 4 ACT steps.
        #expect(dom.contains(#"<div class="grid sudoku" role="grid" data-rows="4" data-columns="4" data-step="4""#))
        let grid = try #require(dom.range(of: #"id="grid""#).map { String(dom[$0.lowerBound...].prefix(20_000)) })
        let cells = captures(#"role="gridcell" data-value="(.)""#, in: grid)
        #expect(cells.prefix(16).joined() == steps[3]["answer"] as? String)
        // Changed cells are exactly those that differ from step 3; givens keep the puzzle's digits.
        let changed = captures(#"<div class="cell ([^"]*)" role="gridcell""#, in: grid).prefix(16).map { $0.contains("changed") }
        let previous = Array(steps[2]["answer"] as? String ?? ""), last = Array(steps[3]["answer"] as? String ?? "")
        #expect(changed == (0..<16).map { previous[$0] != last[$0] })
        #expect(dom.contains("step 4 of 4"))
        // The halting-confidence curve has a point per step, with the current step marked.
        #expect(dom.contains(#"class="series" data-label="sigmoid(q_halt)" data-count="4""#))
        #expect(dom.contains(#"class="marker current-step" data-x="4""#))
        let haltStep = trace["halt_step"] as? Int
        #expect(dom.contains("class=\"marker halt-step\"") == (haltStep != nil))
        #expect(dom.contains(haltStep.map { "The model would stop after step \($0)" } ?? "q_halt stayed ≤ 0 for all 4 steps"))
        #expect(dom.contains(#"class="verdict "#), "test puzzles are marked correct or wrong")
    }

    @Test func playgroundSolvesAPastedPuzzle() async throws {
        let dom = try await page("/playground?run=smoke-web&k=2&puzzle=1.3...1.2..3.3..&solve=1", screenshot: "playground-pasted")
        #expect(dom.contains(#"data-step="2""#) && dom.contains("step 2 of 2"))
        // The preview shows the pasted puzzle with its six givens, in reading order.
        let preview = try #require(dom.range(of: #"id="input-preview""#).map { String(dom[$0.lowerBound...].prefix(8_000)) })
        let givens = captures(
            #"<div class="cell [^"]*given[^"]*" role="gridcell" data-value="(\d)""#, in: preview.components(separatedBy: "</fieldset>")[0])
        #expect(givens == ["1", "3", "1", "2", "3", "3"])
    }

    @Test func playgroundDrawsMazes() async throws {
        let fixture = try await Fixture.get()
        let dom = try await page("/playground?run=maze-web&example=1&k=2&solve=1", screenshot: "playground-maze")
        let solved = try await RawHTTP.post(port: fixture.port, "/api/solve", json: ["run": "maze-web", "example": 1, "k": 2])
        let trace = try #require((solved.json["puzzles"] as? [[String: Any]])?.first)
        let last = try #require((trace["steps"] as? [[String: Any]])?.last?["answer"] as? String)
        #expect(dom.contains(#"<div class="grid maze" role="grid" data-rows="8" data-columns="8" data-step="2""#))
        let grid = try #require(dom.range(of: #"id="grid""#).map { String(dom[$0.lowerBound...].prefix(40_000)) })
        #expect(captures(#"role="gridcell" data-value="(.)""#, in: grid).prefix(64).joined() == last)
        // Walls, start and goal of the puzzle are drawn as given where the answer keeps them.
        let input = Array(trace["puzzle"] as? String ?? "")
        let given = captures(#"<div class="cell ([^"]*)" role="gridcell""#, in: grid).prefix(64).map { $0.contains("given") }
        #expect(given == (0..<64).map { "#SG".contains(input[$0]) && Array(last)[$0] == input[$0] })
    }
}

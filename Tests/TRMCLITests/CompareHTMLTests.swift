import Foundation
import TRMExperiment
import Testing

/// `trm-exp compare A B --html FILE` on two smoke runs: one page that needs nothing else, whose
/// loss plot draws exactly the stored training losses.
@Suite(.serialized) struct CompareHTMLTests {
    @Test func htmlReportIsSelfContainedAndPlotsTheStoredLosses() throws {
        let folder = try CLI.temporaryDirectory()
        let store = folder.appendingPathComponent("trm.sqlite").path
        for (name, lr) in [("smoke-a", "0.001"), ("smoke-b", "0.0003")] {
            let run = try CLI.run(["run", "experiments/smoke.json", "--store", store, "--quiet", "--name", name, "--set", "training.lr=\(lr)"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let page = folder.appendingPathComponent("report.html").path
        let compared = try CLI.run(["compare", "smoke-a", "smoke-b", "--html", page, "--store", store])
        #expect(compared.status == 0, "\(compared.stderr)")
        #expect(compared.stdout.contains("wrote \(page)"))
        let html = try String(contentsOfFile: page, encoding: .utf8)

        // Self-contained: no scripts, styles sheets, images or fonts from elsewhere. The only URL
        // is the SVG namespace, an identifier that is never fetched.
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<style>") && html.contains("<svg"))
        for external in ["src=", "href=", "<link", "<script", "url(", "@import"] { #expect(!html.contains(external), "\(external)") }
        let urls = html.matches(of: /https?:\/\/[^"'\s<>)]*/).map { String($0.0) }
        #expect(!urls.isEmpty && urls.allSatisfy { $0 == "http://www.w3.org/2000/svg" }, "\(Set(urls))")

        // The first chart is the training loss: one polyline per run, drawn from the stored loss
        // values exactly as a chart of those values alone places them.
        let opened = try RunStore.openExisting(path: store)
        let runs = try ["smoke-a", "smoke-b"].map { try opened.resolveRun($0) }
        let losses = try runs.map { try opened.metrics(run: $0.id, split: "train", key: "loss") }
        #expect(losses.allSatisfy { $0.count == 12 })
        let labels = html.matches(of: /<polyline class="series" data-label="([^"]*)"/).prefix(2).map { String($0.1) }
        #expect(labels.count == 2)
        let chart = LineChart(
            title: "Training loss", xLabel: "step", yLabel: "loss",
            series: zip(labels, losses).map { label, stored in ChartSeries(label: label, points: stored.map { (Double($0.step), $0.value) }) })
        let expected = chart.svg.split(separator: "\n").filter { $0.hasPrefix("<polyline") }
        #expect(expected.count == 2)
        for line in expected { #expect(html.contains(line), "\(line)") }
        for ((label, stored), run) in zip(zip(labels, losses), runs) {
            #expect(label.contains(run.name))
            let line = try #require(expected.first { $0.contains("data-label=\"\(label)\"") })
            let points = try #require(line.firstMatch(of: /points="([^"]*)"/)).1.split(separator: " ")
            #expect(points.count == stored.count)
            // Each point's tooltip carries its step and value.
            for metric in stored { #expect(html.contains("<title>\(label): \(metric.step), \(ReportFormat.number(metric.value))</title>")) }
        }
    }
}

import Foundation
import Hummingbird
import TRMExperiment

extension WebServer {
    /// `/api/compare`: what `trm-exp compare` prints (its tables) and plots (its chart data), for
    /// the page to draw.
    func addCompareRoutes(_ routes: inout RouteTable) {
        let store = store
        routes.get("/api/compare") { request, _ in
            let references = try Query(request, allowed: ["run"]).all("run")
            guard !references.isEmpty, references.count <= 16 else {
                throw APIError.badRequest("name 1 to 16 runs as ?run=A&run=B (id, id prefix, name or group:NAME)")
            }
            let comparison = try RunComparison(references: references, store: store)
            return JSONResponse.ok([
                "subjects": comparison.subjects.map { subject -> [String: Any] in
                    ["label": subject.label, "runs": subject.runs.map(\.run.id), "group": subject.isGroup]
                },
                "tables": ComparisonTables.build(comparison).map(ComparisonJSON.table),
                "line_charts": ComparisonCharts.lineCharts(comparison).map(ComparisonJSON.lineChart),
                "bar_charts": ComparisonCharts.haltingHistograms(comparison).map(ComparisonJSON.barChart),
            ])
        }
    }
}

/// Report tables and chart data as JSON, so the page draws what the HTML report shows.
enum ComparisonJSON {
    /// A table: title, note, headers, rows of cells, and which columns hold numbers.
    static func table(_ table: ReportTable) -> [String: Any] {
        [
            "title": table.title, "note": JSONResponse.optional(table.note), "headers": table.headers, "rows": table.rows,
            "numeric": table.numeric.sorted(),
        ]
    }

    /// A line chart's titles, fixed y range (or null) and series of [x, y] points.
    static func lineChart(_ chart: LineChart) -> [String: Any] {
        [
            "title": chart.title, "x_label": chart.xLabel, "y_label": chart.yLabel,
            "y_range": JSONResponse.optional(chart.yRange.map { [$0.lowerBound, $0.upperBound] }),
            "series": chart.series.map { ["label": $0.label, "points": $0.points.map { [$0.x, $0.y] }] as [String: Any] },
        ]
    }

    /// A bar chart as one series of counts over its categories.
    static func barChart(_ chart: BarChart) -> [String: Any] {
        [
            "title": chart.title, "x_label": chart.xLabel, "y_label": "examples", "categories": chart.categories,
            "series": [["label": chart.title, "values": chart.counts, "color": chart.color] as [String: Any]],
        ]
    }
}

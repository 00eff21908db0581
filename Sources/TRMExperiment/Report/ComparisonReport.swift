import Foundation

/// A comparison rendered for the terminal, as Markdown, or as one self-contained HTML page.
public enum ComparisonReport {
    /// Aligned plain-text tables.
    public static func text(_ comparison: RunComparison) -> String {
        ComparisonTables.build(comparison).map(\.text).joined(separator: "\n\n")
    }

    /// Markdown: a heading and one section per table.
    public static func markdown(_ comparison: RunComparison) -> String {
        (["# " + title(comparison)] + ComparisonTables.build(comparison).map(\.markdown)).joined(separator: "\n\n") + "\n"
    }

    /// One HTML file with inline CSS and SVG plots; it references nothing outside itself.
    public static func html(_ comparison: RunComparison, generated: Date = Date()) -> String {
        let tables = ComparisonTables.build(comparison)
        let lines = ComparisonCharts.lineCharts(comparison).map { "<figure>\($0.svg)</figure>" }
        let bars = ComparisonCharts.haltingHistograms(comparison).map { "<figure>\($0.svg)</figure>" }
        var body: [String] = []
        let spread =
            comparison.subjects.contains(where: \.isGroup)
            ? "<p class=\"note\">Groups: the line is the mean over their runs; the shaded band spans the lowest to the highest run.</p>\n" : ""
        for table in tables {
            body.append(html(table))
            if table.title == "Runs", !lines.isEmpty {
                body.append("<h2>Curves</h2>\n" + spread + "<div class=\"plots\">\n" + lines.joined(separator: "\n") + "\n</div>")
            }
            if table.title == "Halting", !bars.isEmpty {
                body.append("<div class=\"plots\">\n" + bars.joined(separator: "\n") + "\n</div>")
            }
        }
        return page(title: title(comparison), generated: generated, body: body)
    }

    /// A complete HTML document: the title, the version and time it was made, then `body` (HTML
    /// fragments in order), with the inline style every report page shares.
    static func page(title: String, generated: Date, body: [String]) -> String {
        let header = [
            "<h1>\(SVGWriter.escape(title))</h1>",
            "<p class=\"meta\">trm-exp \(TRMExperiment.version), \(ISO8601DateFormatter().string(from: generated))</p>",
        ]
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(SVGWriter.escape(title))</title>
            <style>
            body { font-family: -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1200px; color: #222; padding: 0 1em; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ddd; }
            .meta, .note { color: #666; font-size: 0.9em; }
            table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
            th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
            th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .plots { display: flex; flex-wrap: wrap; gap: 1em; } figure { margin: 0; }
            </style>
            </head>
            <body>
            \((header + body).joined(separator: "\n"))
            </body>
            </html>

            """
    }

    static func html(_ table: ReportTable) -> String {
        let head = "<tr>" + table.headers.map { "<th>\(SVGWriter.escape($0))</th>" }.joined() + "</tr>"
        let rows = table.rows.map { row in
            "<tr>"
                + row.enumerated().map { index, cell in
                    "<td\(table.numeric.contains(index) ? " class=\"num\"" : "")>\(SVGWriter.escape(cell))</td>"
                }.joined() + "</tr>"
        }
        return
            (["<h2>\(SVGWriter.escape(table.title))</h2>"] + (table.note.map { ["<p class=\"note\">\(SVGWriter.escape($0))</p>"] } ?? [])
            + ["<table>", head] + rows + ["</table>"]).joined(separator: "\n")
    }

    private static func title(_ comparison: RunComparison) -> String {
        "Comparison: " + comparison.subjects.map(\.label).joined(separator: " vs ")
    }
}

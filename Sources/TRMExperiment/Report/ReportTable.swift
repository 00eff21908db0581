import Foundation

/// One titled table of a report; rendered as aligned text, Markdown or HTML.
public struct ReportTable: Sendable, Equatable {
    /// Heading of the table.
    public var title: String
    /// A sentence under the title (what the numbers mean), if any.
    public var note: String?
    /// Column headings.
    public var headers: [String]
    /// Cells row by row.
    public var rows: [[String]]
    /// Columns of numbers (right-aligned).
    public var numeric: Set<Int>

    /// A table with these headers and rows.
    public init(title: String, note: String? = nil, headers: [String], rows: [[String]], numeric: Set<Int> = []) {
        self.title = title
        self.note = note
        self.headers = headers
        self.rows = rows
        self.numeric = numeric
    }

    /// The cell in the row whose first cell is `label`, under `header`; nil when absent.
    public func cell(row label: String, column header: String) -> String? {
        guard let column = headers.firstIndex(of: header), let row = rows.first(where: { $0.first == label }),
            column < row.count
        else { return nil }
        return row[column]
    }

    /// Aligned plain text with the title above.
    public var text: String {
        var table = TextTable(headers: headers, rightAligned: numeric)
        rows.forEach { table.append($0) }
        return ([title] + (note.map { [$0] } ?? []) + [table.render()]).joined(separator: "\n")
    }

    /// A GitHub-flavoured Markdown section.
    public var markdown: String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + headers.indices.map { numeric.contains($0) ? " ---: |" : " --- |" }.joined()
        return (["## \(title)", ""] + (note.map { [$0, ""] } ?? []) + [line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}

/// Number formats shared by every report table.
public enum ReportFormat {
    /// Four decimals for values below 100 (accuracies, losses), one above (throughputs).
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "-" }
        return abs(value) >= 100 ? String(format: "%.1f", value) : String(format: "%.4f", value)
    }

    /// "mean ± std" (just the value for a single run) in `number`'s format, the spread to as many
    /// decimals as the mean: "1740.4 ± 54.5", not "1740.4 ± 54.5002".
    public static func meanStd(_ stats: MeanStd?) -> String {
        guard let stats, stats.count > 1, abs(stats.mean) >= 100 else { return meanStd(stats, format: number) }
        return "\(number(stats.mean)) ± \(String(format: "%.1f", stats.std))"
    }

    /// "mean ± std" (just the value for a single run), each part formatted by `format`.
    public static func meanStd(_ stats: MeanStd?, format: (Double) -> String) -> String {
        guard let stats else { return "-" }
        return stats.count == 1 ? format(stats.mean) : "\(format(stats.mean)) ± \(format(stats.std))"
    }

    /// A whole number (counts, steps).
    public static func integer(_ value: Double) -> String { String(format: "%.0f", value) }

    /// e.g. "1h 02m", "3m 05s", "42s".
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh %02dm", s / 3600, s % 3600 / 60) }
        if s >= 60 { return String(format: "%dm %02ds", s / 60, s % 60) }
        return "\(s)s"
    }

    /// A percentage with one decimal.
    public static func percent(_ fraction: Double) -> String {
        fraction.isNaN ? "-" : String(format: "%.1f%%", 100 * fraction)
    }
}

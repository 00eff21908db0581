/// Plain-text tables for the CLI: columns padded to their widest cell, numbers right-aligned.
public struct TextTable: Sendable {
    /// Column headings; their count sets the number of columns.
    public var headers: [String]
    /// Cells row by row; short rows are padded with empty cells.
    public var rows: [[String]] = []
    /// Columns whose cells are right-aligned (numbers).
    public var rightAligned: Set<Int> = []

    /// An empty table with these column headers.
    public init(headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    /// Appends a row (missing cells are blank).
    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as lines joined by newlines, header first, then a rule.
    public func render() -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            headers.indices.map { column in
                let cell = cells.count > column ? cells[column] : ""
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacing(/\s+$/, with: "")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}

/// Short relative ages for listings: "45s", "12m", "3h", "5d".
public enum Age {
    /// The age of something `seconds` old.
    public static func text(seconds: Double) -> String {
        let s = max(0, Int(seconds))
        switch s {
        case ..<60: return "\(s)s"
        case ..<3600: return "\(s / 60)m"
        case ..<86400: return "\(s / 3600)h"
        default: return "\(s / 86400)d"
        }
    }
}

import Foundation

/// A tiny SVG builder: shapes and text in pixel coordinates, written as one `<svg>` element
/// with no external references, so it can be inlined in a self-contained HTML file.
public struct SVGWriter: Sendable {
    /// Width of the drawing in pixels.
    public let width: Double
    /// Height of the drawing in pixels.
    public let height: Double
    private var elements: [String] = []

    /// An empty drawing of this size (pixels).
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A straight line.
    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dashed: Bool = false) {
        elements.append(
            "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"\(dashed ? " stroke-dasharray=\"3,3\"" : "")/>"
        )
    }

    /// An open path through `points`; `label` becomes its `data-label` (for tools and tests).
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 2, label: String? = nil) {
        let coordinates = points.map { "\(Self.n($0.x)),\(Self.n($0.y))" }.joined(separator: " ")
        elements.append(
            "<polyline class=\"series\"\(label.map { " data-label=\"\(Self.escape($0))\"" } ?? "") points=\"\(coordinates)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"/>"
        )
    }

    /// A closed, filled shape through `points`, drawn translucent (a chart's spread band);
    /// `label` becomes its `data-label`.
    public mutating func polygon(_ points: [(x: Double, y: Double)], fill: String, opacity: Double, label: String? = nil) {
        let coordinates = points.map { "\(Self.n($0.x)),\(Self.n($0.y))" }.joined(separator: " ")
        elements.append(
            "<polygon class=\"band\"\(label.map { " data-label=\"\(Self.escape($0))\"" } ?? "") points=\"\(coordinates)\" fill=\"\(fill)\" fill-opacity=\"\(Self.n(opacity))\" stroke=\"none\"/>"
        )
    }

    /// A dot with an optional tooltip.
    public mutating func circle(_ cx: Double, _ cy: Double, radius: Double, fill: String, title: String? = nil, label: String? = nil) {
        let body = title.map { "><title>\(Self.escape($0))</title></circle>" } ?? "/>"
        elements.append(
            "<circle class=\"point\"\(label.map { " data-label=\"\(Self.escape($0))\"" } ?? "") cx=\"\(Self.n(cx))\" cy=\"\(Self.n(cy))\" r=\"\(Self.n(radius))\" fill=\"\(fill)\"\(body)"
        )
    }

    /// A filled rectangle with an optional tooltip.
    public mutating func rect(
        _ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String, title: String? = nil, cssClass: String? = nil
    ) {
        let body = title.map { "><title>\(Self.escape($0))</title></rect>" } ?? "/>"
        elements.append(
            "<rect\(cssClass.map { " class=\"\($0)\"" } ?? "") x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" fill=\"\(fill)\"\(body)"
        )
    }

    /// Text anchored at (x, y): `anchor` is start, middle or end; `rotate` turns it about that point.
    public mutating func text(
        _ string: String, _ x: Double, _ y: Double, size: Double = 11, anchor: String = "start", fill: String = "#333", rotate: Double? = nil
    ) {
        let transform = rotate.map { " transform=\"rotate(\(Self.n($0)) \(Self.n(x)) \(Self.n(y)))\"" } ?? ""
        elements.append(
            "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\"\(transform)>\(Self.escape(string))</text>"
        )
    }

    /// The finished `<svg>` element.
    public var svg: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" font-family=\"sans-serif\">\n"
            + elements.joined(separator: "\n") + "\n</svg>"
    }

    /// Coordinates with two decimals (enough for pixels, short files).
    static func n(_ value: Double) -> String {
        let text = String(format: "%.2f", value)
        return text.hasSuffix(".00") ? String(text.dropLast(3)) : text
    }

    /// Escapes text for XML content and attribute values.
    public static func escape(_ string: String) -> String {
        string.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

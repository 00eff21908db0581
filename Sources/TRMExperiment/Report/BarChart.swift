/// A bar chart of counts (halting histograms): one bar per category.
public struct BarChart: Sendable {
    /// Heading drawn above the chart.
    public var title: String
    /// Caption of the horizontal axis.
    public var xLabel: String
    /// Label under each bar, left to right.
    public var categories: [String]
    /// Height of each bar, in the order of `categories`.
    public var counts: [Int]
    /// Fill colour of the bars (CSS colour, e.g. "#0072B2").
    public var color: String
    /// Size of the SVG drawing in pixels.
    public var width = 320.0, height = 200.0

    /// A chart of `counts` over `categories`.
    public init(title: String, xLabel: String, categories: [String], counts: [Int], color: String) {
        self.title = title
        self.xLabel = xLabel
        self.categories = categories
        self.counts = counts
        self.color = color
    }

    /// The chart as an `<svg>` element; every bar is a `rect` of class `bar` with its count as tooltip.
    public var svg: String {
        var svg = SVGWriter(width: width, height: height)
        let left = 40.0, right = width - 10, top = 28.0, bottom = height - 36
        svg.text(title, width / 2, 16, size: 12, anchor: "middle", fill: "#111")
        let highest = Double(max(1, counts.max() ?? 1))
        for tick in Ticks.values(0...highest) where tick == tick.rounded() {
            let y = bottom - tick / highest * (bottom - top)
            svg.line(left, y, right, y, stroke: "#e5e5e5")
            svg.text(Ticks.label(tick), left - 5, y + 3, size: 10, anchor: "end")
        }
        let slot = (right - left) / Double(max(1, counts.count))
        for (i, count) in counts.enumerated() {
            let barHeight = Double(count) / highest * (bottom - top)
            svg.rect(
                left + Double(i) * slot + slot * 0.1, bottom - barHeight, slot * 0.8, barHeight, fill: color,
                title: "\(xLabel) \(categories[i]): \(count)", cssClass: "bar")
            if counts.count <= 20 || i % max(1, counts.count / 10) == 0 {
                svg.text(categories[i], left + (Double(i) + 0.5) * slot, bottom + 13, size: 10, anchor: "middle")
            }
        }
        svg.line(left, bottom, right, bottom, stroke: "#555")
        svg.text(xLabel, (left + right) / 2, height - 6, size: 11, anchor: "middle")
        return svg.svg
    }
}

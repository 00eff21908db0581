import Foundation

/// A line chart with axes, ticks and a legend; one polyline (and a dot per point) per series,
/// drawn over the series' shaded band when it has one.
public struct LineChart: Sendable {
    /// Heading drawn above the chart.
    public var title: String
    /// Caption of the horizontal axis.
    public var xLabel: String
    /// Caption of the vertical axis.
    public var yLabel: String
    /// The lines, coloured by `ChartPalette` in order.
    public var series: [ChartSeries]
    /// Fixed y range (e.g. 0…1 for accuracies); nil fits the data.
    public var yRange: ClosedRange<Double>?
    /// Size of the SVG drawing in pixels.
    public var width = 640.0, height = 320.0
    /// Margins around the plot area: left, top, right, bottom.
    public var margins = (left: 60.0, top: 30.0, right: 160.0, bottom: 45.0)

    /// A chart of these series.
    public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries], yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yRange = yRange
    }

    /// The data ranges shown on the axes.
    public var domain: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let xs = series.flatMap { $0.points.map(\.x) }
        let ys = series.flatMap { $0.points.map(\.y) + $0.band.flatMap { [$0.low, $0.high] } }.filter(\.isFinite)
        func range(_ values: [Double], pad: Double) -> ClosedRange<Double> {
            guard let low = values.min(), let high = values.max() else { return 0...1 }
            if low == high { return (low - 1)...(high + 1) }
            let margin = (high - low) * pad
            return (low - margin)...(high + margin)
        }
        return (range(xs, pad: 0), yRange ?? range(ys, pad: 0.05))
    }

    /// The pixel position of a data point.
    public func pixel(x: Double, y: Double) -> (x: Double, y: Double) {
        let (dx, dy) = domain
        let plotWidth = width - margins.left - margins.right, plotHeight = height - margins.top - margins.bottom
        return (
            margins.left + (x - dx.lowerBound) / (dx.upperBound - dx.lowerBound) * plotWidth,
            margins.top + plotHeight - (y - dy.lowerBound) / (dy.upperBound - dy.lowerBound) * plotHeight
        )
    }

    /// The chart as an `<svg>` element.
    public var svg: String {
        var svg = SVGWriter(width: width, height: height)
        let (dx, dy) = domain
        let left = margins.left, right = width - margins.right, top = margins.top, bottom = height - margins.bottom
        svg.text(title, width / 2, 18, size: 13, anchor: "middle", fill: "#111")
        for tick in Ticks.values(dx) {
            let p = pixel(x: tick, y: dy.lowerBound)
            svg.line(p.x, top, p.x, bottom, stroke: "#e5e5e5")
            svg.text(Ticks.label(tick), p.x, bottom + 14, size: 10, anchor: "middle")
        }
        for tick in Ticks.values(dy) {
            let p = pixel(x: dx.lowerBound, y: tick)
            svg.line(left, p.y, right, p.y, stroke: "#e5e5e5")
            svg.text(Ticks.label(tick), left - 6, p.y + 3, size: 10, anchor: "end")
        }
        svg.line(left, bottom, right, bottom, stroke: "#555")
        svg.line(left, top, left, bottom, stroke: "#555")
        svg.text(xLabel, (left + right) / 2, height - 8, size: 11, anchor: "middle")
        svg.text(yLabel, 14, (top + bottom) / 2, size: 11, anchor: "middle", rotate: -90)
        // Bands first, so every line and dot stays visible on top of them.
        for (index, line) in series.enumerated() where !line.band.isEmpty {
            let edge = line.band.filter { $0.low.isFinite && $0.high.isFinite }
            let outline = edge.map { pixel(x: $0.x, y: $0.high) } + edge.reversed().map { pixel(x: $0.x, y: $0.low) }
            svg.polygon(outline, fill: ChartPalette.color(index), opacity: 0.18, label: line.label)
        }
        for (index, line) in series.enumerated() {
            let color = ChartPalette.color(index)
            let points = line.points.filter { $0.y.isFinite }.map { pixel(x: $0.x, y: $0.y) }
            svg.polyline(points, stroke: color, label: line.label)
            // Dots only where they stay readable.
            if points.count <= 200 {
                for (point, value) in zip(points, line.points.filter { $0.y.isFinite }) {
                    let range = line.band.first { $0.x == value.x }.map {
                        " (mean; runs \(ReportFormat.number($0.low))–\(ReportFormat.number($0.high)))"
                    }
                    svg.circle(
                        point.x, point.y, radius: 2.5, fill: color,
                        title: "\(line.label): \(Ticks.label(value.x)), \(ReportFormat.number(value.y))\(range ?? "")", label: line.label)
                }
            }
            let legendY = top + 6 + Double(index) * 16
            svg.rect(right + 12, legendY - 8, 10, 10, fill: color)
            svg.text(line.label, right + 27, legendY + 1, size: 11)
        }
        return svg.svg
    }
}

import Foundation

/// Colours of successive series (colour-blind friendly).
public enum ChartPalette {
    /// Hex colours in the order series use them (Okabe–Ito palette).
    public static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

    /// The colour of series `index` (cycling).
    public static func color(_ index: Int) -> String { colors[index % colors.count] }
}

/// One line of a chart, optionally with a shaded band around it (the spread of a group's runs).
public struct ChartSeries: Sendable {
    /// Name shown in the legend.
    public var label: String
    /// Data points in drawing order, in data units.
    public var points: [(x: Double, y: Double)]
    /// Lower and upper edge of the band at each x, in drawing order; empty: no band.
    public var band: [(x: Double, low: Double, high: Double)]

    /// A named series.
    public init(label: String, points: [(x: Double, y: Double)], band: [(x: Double, low: Double, high: Double)] = []) {
        self.label = label
        self.points = points
        self.band = band
    }

    /// Several runs' curves as one series: the mean at every x that any run has, and a band from
    /// the lowest to the highest run there. With a handful of seeds the range shows every run's
    /// outcome, where a ± std band would suggest a precision three values do not have.
    public static func spread(label: String, members: [[(x: Double, y: Double)]]) -> ChartSeries {
        let byX = Dictionary(grouping: members.flatMap { $0 }.filter(\.y.isFinite), by: \.x)
        let xs = byX.keys.sorted()
        let points = xs.map { x in (x: x, y: MeanStd(byX[x]!.map(\.y))!.mean) }
        let band = xs.map { x in (x: x, low: byX[x]!.map(\.y).min()!, high: byX[x]!.map(\.y).max()!) }
        return ChartSeries(label: label, points: points, band: band)
    }
}

/// Round axis tick values.
enum Ticks {
    /// About five ticks at 1, 2 or 5 × 10^n spacing inside `range`.
    static func values(_ range: ClosedRange<Double>) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / 5, magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        // Multiples of the step, rounded to its decimals so 3 × 0.2 reads 0.6.
        let scale = pow(10, max(0, -floor(log10(step))))
        var result: [Double] = []
        var index = ceil(range.lowerBound / step - 1e-9)
        while index * step <= range.upperBound + step * 1e-9 {
            result.append((index * step * scale).rounded() / scale)
            index += 1
        }
        return result
    }

    /// Short tick text: integers without decimals, others with up to 4 significant digits.
    static func label(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.4g", value)
    }
}

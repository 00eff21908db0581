import Foundation
import Testing

@testable import TRMCore

/// The vectorised softmax against a scalar float64 reference, on row lengths around the
/// eight-lane width: tail only, exact vectors, vectors plus a tail, and an attention-sized row.
@Suite struct SoftmaxTests {
    static let columnCounts = [1, 7, 8, 9, 97]

    private func randomValues(_ count: Int, seed: UInt64, scale: Double) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        return (0..<count).map { _ in Float(rng.normal() * scale) }
    }

    @Test(arguments: columnCounts) func forwardMatchesFloat64Reference(_ cols: Int) {
        let rows = 4
        var x = randomValues(rows * cols, seed: UInt64(cols), scale: 4)
        // A constant row: every lane is the maximum.
        for j in 0..<cols { x[j] = 0.25 }
        var p = x
        Softmax.forwardRows(&p, rows: rows, cols: cols)
        for row in 0..<rows {
            let scores = (0..<cols).map { Double(x[row * cols + $0]) }
            let maximum = scores.max()!
            let exps = scores.map { Foundation.exp($0 - maximum) }
            let sum = exps.reduce(0, +)
            for j in 0..<cols {
                let expected = exps[j] / sum
                let actual = Double(p[row * cols + j])
                #expect(abs(actual - expected) <= 1e-5 * expected, "row \(row) column \(j): \(actual) vs \(expected)")
            }
            let total = (0..<cols).reduce(0.0) { $0 + Double(p[row * cols + $1]) }
            #expect(abs(total - 1) < 1e-6, "row \(row) sums to \(total)")
        }
    }

    @Test(arguments: columnCounts) func backwardMatchesFloat64Reference(_ cols: Int) {
        let rows = 3
        var p = randomValues(rows * cols, seed: UInt64(100 + cols), scale: 2)
        Softmax.forwardRows(&p, rows: rows, cols: cols)
        let dP = randomValues(rows * cols, seed: UInt64(200 + cols), scale: 1)
        var dS = dP
        Softmax.backwardRows(p: p, &dS, rows: rows, cols: cols)
        for row in 0..<rows {
            let range = (row * cols)..<((row + 1) * cols)
            let dot = range.reduce(0.0) { $0 + Double(p[$1]) * Double(dP[$1]) }
            for i in range {
                let expected = Double(p[i]) * (Double(dP[i]) - dot)
                #expect(abs(Double(dS[i]) - expected) <= 1e-6 * Double(p[i]) + 1e-5 * abs(expected), "index \(i): \(dS[i]) vs \(expected)")
            }
        }
    }
}

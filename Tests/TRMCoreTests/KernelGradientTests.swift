import Foundation
import Testing

@testable import TRMCore

/// Every kernel's backward against central finite differences of `Σ r ⊙ forward(x)` in float64
/// arithmetic on float32 kernels (step 1e-2, relative tolerance 1e-2).
@Suite struct KernelGradientTests {
    private func randomValues(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        return (0..<count).map { _ in Float(rng.normal()) * scale }
    }

    /// Checks `analytic` (dL/dx) against finite differences of `loss(x)`.
    private func check(
        _ what: String, x: [Float], analytic: [Float], loss: ([Float]) -> Double, step: Float = 1e-2,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let scale = analytic.map { abs($0) }.max() ?? 0
        #expect(scale > 0, "\(what): zero gradient", sourceLocation: sourceLocation)
        for i in 0..<x.count {
            var plus = x
            var minus = x
            plus[i] += step
            minus[i] -= step
            let numeric = (loss(plus) - loss(minus)) / Double(2 * step)
            let error = abs(numeric - Double(analytic[i]))
            #expect(
                error <= 1e-2 * Double(scale) + 1e-2 * abs(numeric), "\(what): d/dx[\(i)] analytic \(analytic[i]), numeric \(numeric)",
                sourceLocation: sourceLocation)
        }
    }

    private func dot(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }

    @Test func rmsNormRows() {
        let (rows, cols) = (3, 7)
        let x = randomValues(rows * cols, seed: 1)
        let r = randomValues(rows * cols, seed: 2)
        func forward(_ x: [Float]) -> ([Float], [Float]) {
            var y = [Float](repeating: 0, count: x.count)
            var inv = [Float](repeating: 0, count: rows)
            RMSNorm.forwardRows(x, &y, invRMS: &inv, rows: rows, cols: cols, eps: 1e-5)
            return (y, inv)
        }
        let (y, inv) = forward(x)
        var dx = [Float](repeating: 0, count: x.count)
        RMSNorm.backwardRows(r, y: y, invRMS: inv, &dx, rows: rows, cols: cols)
        check("rms rows", x: x, analytic: dx) { dot(forward($0).0, r) }
        // Each normalised row has unit mean square.
        for row in 0..<rows {
            let meanSquare = (0..<cols).map { Double(y[row * cols + $0] * y[row * cols + $0]) }.reduce(0, +) / Double(cols)
            #expect(abs(meanSquare - 1) < 1e-4)
        }
    }

    @Test func rmsNormColumns() {
        let (rows, cols) = (5, 4)
        let x = randomValues(rows * cols, seed: 3)
        let r = randomValues(rows * cols, seed: 4)
        func forward(_ x: [Float]) -> ([Float], [Float]) {
            var y = [Float](repeating: 0, count: x.count)
            var inv = [Float](repeating: 0, count: cols)
            RMSNorm.forwardColumns(x, &y, invRMS: &inv, rows: rows, cols: cols, eps: 1e-5)
            return (y, inv)
        }
        let (y, inv) = forward(x)
        var dx = [Float](repeating: 0, count: x.count)
        var scratch = [Float](repeating: 0, count: cols)
        RMSNorm.backwardColumns(r, y: y, invRMS: inv, &dx, rows: rows, cols: cols, scratch: &scratch)
        check("rms columns", x: x, analytic: dx) { dot(forward($0).0, r) }
    }

    @Test func siluGate() {
        let n = 9
        let gate = randomValues(n, seed: 5, scale: 3)
        let up = randomValues(n, seed: 6)
        let r = randomValues(n, seed: 7)
        func forward(_ g: [Float], _ u: [Float]) -> [Float] {
            var out = [Float](repeating: 0, count: n)
            SiLUGate.forward(gate: g, up: u, out: &out, count: n)
            return out
        }
        var dGate = [Float](repeating: 0, count: n)
        var dUp = [Float](repeating: 0, count: n)
        SiLUGate.backward(gate: gate, up: up, dOut: r, dGate: &dGate, dUp: &dUp, count: n)
        check("silu gate", x: gate, analytic: dGate) { dot(forward($0, up), r) }
        check("silu up", x: up, analytic: dUp) { dot(forward(gate, $0), r) }
    }

    @Test func softmaxRows() {
        let (rows, cols) = (2, 6)
        let x = randomValues(rows * cols, seed: 8, scale: 2)
        let r = randomValues(rows * cols, seed: 9)
        func forward(_ x: [Float]) -> [Float] {
            var p = x
            Softmax.forwardRows(&p, rows: rows, cols: cols)
            return p
        }
        let p = forward(x)
        var d = r
        Softmax.backwardRows(p: p, &d, rows: rows, cols: cols)
        check("softmax", x: x, analytic: d) { dot(forward($0), r) }
        for row in 0..<rows { #expect(abs((0..<cols).map { p[row * cols + $0] }.reduce(0, +) - 1) < 1e-6) }
    }

    @Test func ropeInverseIsTheTransposeAndPreservesNorms() {
        let table = RotaryTable(positions: 5, headDim: 8, theta: 10000)
        let stride = 11
        let x = randomValues(5 * stride, seed: 10)
        let y = randomValues(5 * stride, seed: 11)
        var rx = x
        table.apply(&rx, rows: 5, stride: stride)
        var ry = y
        table.apply(&ry, rows: 5, stride: stride, inverse: true)
        // <R x, y> = <x, Rᵀ y> over the rotated channels; untouched channels stay equal.
        func headDot(_ a: [Float], _ b: [Float]) -> Double {
            (0..<5).flatMap { r in (0..<8).map { r * stride + $0 } }.reduce(0) { $0 + Double(a[$1]) * Double(b[$1]) }
        }
        #expect(abs(headDot(rx, y) - headDot(x, ry)) < 1e-4)
        #expect(abs(headDot(rx, rx) - headDot(x, x)) < 1e-4)
        #expect(rx[8] == x[8] && rx[stride + 10] == x[stride + 10])
        // Position 0 is not rotated.
        #expect((0..<8).allSatisfy { abs(rx[$0] - x[$0]) < 1e-7 })
    }
}

@Suite struct FastMathTests {
    @Test func expMatchesFoundationWithinTwoULPsRelative() {
        var worst: Float = 0
        var x: Float = -87
        while x < 88 {
            let lanes = SIMD8<Float>((0..<8).map { x + Float($0) * 0.0137 })
            let fast = FastMath.exp(lanes)
            for i in 0..<8 {
                let exact = Float(Foundation.exp(Double(lanes[i])))
                worst = max(worst, abs(fast[i] - exact) / exact)
            }
            x += 0.173
        }
        #expect(worst < 3e-7, "worst relative error \(worst)")
        #expect(FastMath.exp(SIMD8(repeating: -200))[0] >= 0)
        #expect(FastMath.exp(SIMD8(repeating: 200))[0].isFinite)
    }

    @Test func parallelSiLUGateEqualsScalarOnLongAndOddLengths() {
        Parallel.threads = 2
        defer { Parallel.threads = 1 }
        for count in [13, 100_003] {
            var rng = RandomGenerator(seed: UInt64(count))
            let gate = (0..<count).map { _ in Float(rng.normal() * 4) }
            let up = (0..<count).map { _ in Float(rng.normal()) }
            var out = [Float](repeating: 0, count: count)
            SiLUGate.forward(gate: gate, up: up, out: &out, count: count)
            for i in stride(from: 0, to: count, by: 97) {
                let expected = gate[i] / (1 + Foundation.exp(-gate[i])) * up[i]
                #expect(abs(out[i] - expected) <= 1e-6 * max(1, abs(expected)), "index \(i)")
            }
        }
    }
}

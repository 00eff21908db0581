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
        var recomputed = [Float](repeating: 0, count: n)
        SiLUGate.backward(gate: gate, up: up, dOut: r, dGate: &dGate, dUp: &dUp, out: &recomputed, count: n)
        check("silu gate", x: gate, analytic: dGate) { dot(forward($0, up), r) }
        check("silu up", x: up, analytic: dUp) { dot(forward(gate, $0), r) }
        #expect(recomputed == forward(gate, up), "the backward pass's activations must be the forward pass's")
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

    /// The row-wise SwiGLU (rows split over the cores) must equal the single-row kernel on every
    /// row bit for bit: a width that is not a multiple of 8 exercises the scalar tail of each row.
    @Test func rowWiseSiLUGateEqualsThePerRowKernel() {
        Parallel.threads = 2
        defer { Parallel.threads = 1 }
        let rows = 1_000
        let width = 100
        var rng = RandomGenerator(seed: 5)
        let gateUp = (0..<(rows * 2 * width)).map { _ in Float(rng.normal() * 3) }
        let dOut = (0..<(rows * width)).map { _ in Float(rng.normal()) }
        var out = [Float](repeating: 0, count: rows * width)
        var dGateUp = [Float](repeating: 0, count: rows * 2 * width)
        var recomputed = out
        SiLUGate.forwardRows(gateUp: gateUp, out: &out, rows: rows, width: width)
        SiLUGate.backwardRows(gateUp: gateUp, dOut: dOut, dGateUp: &dGateUp, out: &recomputed, rows: rows, width: width)
        #expect(recomputed == out, "the backward pass's activations must be the forward pass's")
        var mismatches = 0
        for row in 0..<rows {
            let gate = Array(gateUp[(row * 2 * width)..<(row * 2 * width + width)])
            let up = Array(gateUp[(row * 2 * width + width)..<((row + 1) * 2 * width)])
            var expected = [Float](repeating: 0, count: width)
            var dGate = [Float](repeating: 0, count: width)
            var dUp = [Float](repeating: 0, count: width)
            var activation = expected
            SiLUGate.forward(gate: gate, up: up, out: &expected, count: width)
            SiLUGate.backward(
                gate: gate, up: up, dOut: Array(dOut[(row * width)..<((row + 1) * width)]), dGate: &dGate, dUp: &dUp, out: &activation,
                count: width)
            for i in 0..<width {
                if out[row * width + i] != expected[i] { mismatches += 1 }
                if dGateUp[row * 2 * width + i] != dGate[i] || dGateUp[row * 2 * width + width + i] != dUp[i] { mismatches += 1 }
            }
        }
        #expect(mismatches == 0, "\(mismatches) values differ from the per-row kernel")
    }

    /// The norms split their rows (or columns) over the cores; each vector's sums keep their order,
    /// so one and two threads must agree bit for bit, forward and backward, both orientations.
    @Test func rmsNormIsIdenticalOnOneAndTwoThreads() {
        defer { Parallel.threads = 1 }
        let rows = 300
        let cols = 257
        var rng = RandomGenerator(seed: 9)
        let x = (0..<(rows * cols)).map { _ in Float(rng.normal() * 2) }
        let dy = (0..<(rows * cols)).map { _ in Float(rng.normal()) }
        func run(threads: Int) -> [Float] {
            Parallel.threads = threads
            var y = [Float](repeating: 0, count: rows * cols)
            var dx = y
            var rowScale = [Float](repeating: 0, count: rows)
            var columnScale = [Float](repeating: 0, count: cols)
            var scratch = columnScale
            RMSNorm.forwardRows(x, &y, invRMS: &rowScale, rows: rows, cols: cols, eps: 1e-5)
            RMSNorm.backwardRows(dy, y: y, invRMS: rowScale, &dx, rows: rows, cols: cols)
            var result = y + dx + rowScale
            RMSNorm.forwardColumns(x, &y, invRMS: &columnScale, rows: rows, cols: cols, eps: 1e-5)
            RMSNorm.backwardColumns(dy, y: y, invRMS: columnScale, &dx, rows: rows, cols: cols, scratch: &scratch)
            result += y + dx + columnScale
            return result
        }
        let one = run(threads: 1)
        let two = run(threads: 2)
        let differing = zip(one, two).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(one.count) values differ")
    }
}

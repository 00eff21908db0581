import Foundation

/// Rotary position embedding in the reference's rotate-half layout: channel j is paired with
/// channel j + h/2, both rotated by the angle p · ω_j.
public struct RotaryTable: Sendable {
    /// `[positions, headDim]` cosines (each frequency listed twice).
    public let cos: [Float]
    /// `[positions, headDim]` sines, in the same layout as `cos`.
    public let sin: [Float]
    /// Number of positions (rows) the tables cover.
    public let positions: Int
    /// Channels per attention head (columns); even, since channels rotate in pairs.
    public let headDim: Int

    /// Tables computed in float32 exactly as the reference: ω_i = 1 / θ^(2i/h), angle = p · ω.
    public init(positions: Int, headDim: Int, theta: Double) {
        self.positions = positions
        self.headDim = headDim
        let half = headDim / 2
        let base = Float(theta)
        let frequencies = (0..<half).map { i in 1 / powf(base, Float(2 * i) / Float(headDim)) }
        var c = [Float](repeating: 0, count: positions * headDim)
        var s = c
        for p in 0..<positions {
            for j in 0..<headDim {
                let angle = Float(p) * frequencies[j % half]
                c[p * headDim + j] = Foundation.cos(angle)
                s[p * headDim + j] = Foundation.sin(angle)
            }
        }
        cos = c
        sin = s
    }

    /// Rotates, in place, `rows` vectors of one head: row r is position `r`, its `headDim` values
    /// start at `x + r * stride`. `inverse` applies the transpose rotation (for the backward pass).
    @inline(__always)
    public func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, stride: Int, inverse: Bool = false) {
        let half = headDim / 2
        cos.withUnsafeBufferPointer { cosTable in
            sin.withUnsafeBufferPointer { sinTable in
                for r in 0..<rows {
                    let v = x + r * stride
                    let c = cosTable.baseAddress! + r * headDim
                    let s = sinTable.baseAddress! + r * headDim
                    for j in 0..<half {
                        let a = v[j]
                        let b = v[j + half]
                        if inverse {
                            v[j] = a * c[j] + b * s[j + half]
                            v[j + half] = b * c[j + half] - a * s[j]
                        } else {
                            v[j] = a * c[j] - b * s[j]
                            v[j + half] = b * c[j + half] + a * s[j + half]
                        }
                    }
                }
            }
        }
    }
}

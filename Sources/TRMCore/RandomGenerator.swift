import Foundation

/// A seedable, serialisable pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// trm-exp keeps one generator per concern (initialisation, data order, halting exploration) and
/// saves their states in checkpoints, so a resumed run draws exactly the numbers an uninterrupted
/// run would have drawn.
public struct RandomGenerator: RandomNumberGenerator, Codable, Equatable, Sendable {
    /// The four 64-bit words of state.
    public private(set) var state: [UInt64]

    /// A generator whose four state words are expanded from `seed` with SplitMix64, so nearby seeds
    /// give unrelated streams.
    public init(seed: UInt64) {
        var mixer = seed
        var words: [UInt64] = []
        for _ in 0..<4 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            words.append(z ^ (z >> 31))
        }
        state = words
    }

    /// Restores a generator from a saved state.
    public init(state: [UInt64]) {
        precondition(state.count == 4 && state.contains { $0 != 0 }, "invalid generator state")
        self.state = state
    }

    /// A generator for a sub-concern, derived deterministically from this seed and a label.
    public static func derived(seed: UInt64, stream: UInt64) -> RandomGenerator {
        RandomGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ stream &* 0xD1B5_4A32_D192_ED03)
    }

    /// The next 64 random bits (xoshiro256**); advances the state.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform float in [0, 1) with 24 random bits.
    public mutating func uniformFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 0x1p-60)
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// The reference's truncated normal: a normal cut at ±2 raw standard deviations, rescaled so its
    /// actual standard deviation is `std` (JAX's `truncated_normal` as ported by the reference).
    public mutating func truncatedNormal(std: Double) -> Float {
        if std == 0 { return 0 }
        let lower = erf(-2 / 2.0.squareRoot())
        let upper = erf(2 / 2.0.squareRoot())
        let u = lower + (upper - lower) * uniform()
        let v = 2.0.squareRoot() * Self.inverseErf(u) * Self.truncatedNormalCorrection * std
        let bound = 2 * Self.truncatedNormalCorrection * std
        return Float(min(max(v, -bound), bound))
    }

    /// 1 / sqrt(1 − 4·φ(2)/(Φ(2) − Φ(−2))): the factor that restores unit variance after truncation.
    public static let truncatedNormalCorrection: Double = {
        let phi2 = exp(-2.0) / (2 * Double.pi).squareRoot()
        let mass = erf(2 / 2.0.squareRoot())
        return 1 / (1 - 4 * phi2 / mass).squareRoot()
    }()

    /// The inverse error function on (−1, 1): Giles' approximation refined by two Newton steps.
    public static func inverseErf(_ x: Double) -> Double {
        if x <= -1 { return -.infinity }
        if x >= 1 { return .infinity }
        var w = -log((1 - x) * (1 + x))
        var p: Double
        if w < 6.25 {
            w -= 3.125
            p = -3.6444120640178196996e-21
            for c in [
                -1.685059138182016589e-19, 1.2858480715256400167e-18, 1.115787767802518096e-17,
                -1.333171662854620906e-16, 2.0972767875968561637e-17, 6.6376381343583238325e-15,
                -4.0545662729752068639e-14, -8.1519341976054721522e-14, 2.6335093153082322977e-12,
                -1.2975133253453532498e-11, -5.4154120542946279317e-11, 1.051212273321532285e-09,
                -4.1126339803469836976e-09, -2.9070369957882005086e-08, 4.2347877827932403518e-07,
                -1.3654692000834678645e-06, -1.3882523362786468719e-05, 0.0001867342080340571352,
                -0.00074070253416626697512, -0.0060336708714301490533, 0.24015818242558961693,
                1.6536545626831027356,
            ] { p = c + p * w }
        } else if w < 16 {
            w = w.squareRoot() - 3.25
            p = 2.2137376921775787049e-09
            for c in [
                9.0756561938885390979e-08, -2.7517406297064545428e-07, 1.8239629214389227755e-08,
                1.5027403968909827627e-06, -4.013867526981545969e-06, 2.9234449089955446044e-06,
                1.2475304481671778723e-05, -4.7318229009055733981e-05, 6.8284851459573175448e-05,
                2.4031110387097893999e-05, -0.0003550375203628474796, 0.00095328937973738049703,
                -0.0016882755560235047313, 0.0024914420961078508066, -0.0037512085075692412107,
                0.005370914553590063617, 1.0052589676941592334, 3.0838856104922207635,
            ] { p = c + p * w }
        } else {
            w = w.squareRoot() - 5
            p = -2.7109920616438573243e-11
            for c in [
                -2.5556418169965252055e-10, 1.5076572693500548083e-09, -3.7894654401267369937e-09,
                7.6157012080783393804e-09, -1.4960026627149240478e-08, 2.9147953450901080826e-08,
                -6.7711997758452339498e-08, 2.2900482228026654717e-07, -9.9298272942317002539e-07,
                4.5260625972231537039e-06, -1.9681778105531670567e-05, 7.5995277030017761139e-05,
                -0.00021503011930044477347, -0.00013871931833623122026, 1.0103004648645343977,
                4.8499064014085844221,
            ] { p = c + p * w }
        }
        var y = p * x
        let twoOverSqrtPi = 2 / Double.pi.squareRoot()
        for _ in 0..<2 {
            let error = erf(y) - x
            y -= error / (twoOverSqrtPi * exp(-y * y))
        }
        return y
    }
}

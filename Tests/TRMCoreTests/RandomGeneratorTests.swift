import Foundation
import Testing

@testable import TRMCore

@Suite struct RandomGeneratorTests {
    @Test func sameSeedSameStreamAndStateRestores() {
        var a = RandomGenerator(seed: 42)
        var b = RandomGenerator(seed: 42)
        for _ in 0..<10 { #expect(a.next() == b.next()) }
        var c = RandomGenerator(state: a.state)
        #expect(c.next() == a.next())
        #expect(RandomGenerator(seed: 1).state != RandomGenerator(seed: 2).state)
    }

    @Test func inverseErfInvertsErf() {
        for x in stride(from: -0.999, through: 0.999, by: 0.0371) {
            #expect(abs(erf(RandomGenerator.inverseErf(x)) - x) < 1e-12)
        }
    }

    @Test func truncatedNormalHasRequestedStdAndBounds() {
        var rng = RandomGenerator(seed: 7)
        let std = 0.5
        let draws = (0..<200_000).map { _ in Double(rng.truncatedNormal(std: std)) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)
        #expect(abs(mean) < 0.005)
        #expect(abs(variance.squareRoot() - std) < 0.005)
        let bound = 2 * RandomGenerator.truncatedNormalCorrection * std
        #expect(draws.allSatisfy { abs($0) <= bound + 1e-6 })
        #expect(abs(RandomGenerator.truncatedNormalCorrection - 1.1368472) < 1e-6)
    }
}

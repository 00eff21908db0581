import Foundation
import Testing

@testable import TRMExperiment

/// A trace from a pattern such as "..XX" (X = exactly correct at that step) with q_halt logits.
private func trace(_ pattern: String, q: [Float], difficulty: Double? = nil, group: String? = nil) -> KTrace {
    let exact = pattern.map { $0 == "X" }
    return KTrace(exact: exact, tokenAccuracy: exact.map { $0 ? 1 : 0.5 }, qHalt: q, difficulty: difficulty, group: group)
}

@Suite struct KStatisticsTests {
    // Four examples, K_max = 4:
    //  0 "..XX" halts (q>0) at 3, p≥0.9 never → 4
    //  1 "X.XX" regressed, optimal 3; q>0 at 1 (wrong? no: correct at 1), p≥0.9 at 2 (wrong)
    //  2 "XX.." regressed, wrong at max; never halts
    //  3 "XXXX" optimal 1; q>0 at 2, p≥0.9 at 4
    private let traces = [
        trace("..XX", q: [-3, -1, 0.5, 1]),
        trace("X.XX", q: [0.1, 3, 3, 3]),
        trace("XX..", q: [-5, -5, -5, -5]),
        trace("XXXX", q: [0, 1, 2, 2.5]),
    ]

    @Test func accuracyAtEveryK() {
        let stats = KStatistics.compute(traces, thresholds: [0.9])
        #expect(stats.maxK == 4 && stats.count == 4)
        #expect(stats.accuracy.map(\.k) == [1, 2, 3, 4])
        #expect(stats.accuracy.map(\.exactAccuracy) == [0.75, 0.5, 0.75, 0.75])
        #expect(stats.accuracy.map(\.tokenAccuracy) == [0.875, 0.75, 0.875, 0.875])
    }

    @Test func perExampleOptimalKAndRegressions() {
        let stats = KStatistics.compute(traces, thresholds: [])
        #expect(stats.examples.map(\.optimalK) == [3, 3, nil, 1])
        #expect(stats.examples.map(\.regressed) == [false, true, true, false])
        #expect(stats.examples.map(\.correctAtMax) == [true, true, false, true])
        #expect(stats.examples.map(\.everCorrect) == [true, true, true, true])
        #expect(stats.examples.map(\.haltK) == [3, 1, 4, 2])
        #expect(KStatistics.compute([trace("....", q: [0, 0, 0, 0])], thresholds: []).examples[0].everCorrect == false)
    }

    @Test func haltingRulesHistogramsAccuracyAndSavings() throws {
        let stats = KStatistics.compute(traces, thresholds: [0.9, 0.5, 0.9])
        #expect(stats.halting.map(\.rule) == [.positiveLogit, .probability(0.5), .probability(0.9)])
        let own = try #require(stats.halting(.positiveLogit))
        #expect(own.histogram == [1, 1, 1, 1])
        #expect(own.neverHalted == 1)
        // Stops: ex0 at 3 (right), ex1 at 1 (right), ex2 at 4 (wrong), ex3 at 2 (right).
        #expect(own.exactAccuracy == 0.75)
        #expect(own.meanK == 2.5)
        #expect(own.savedFraction == 1 - 10.0 / 16)
        // sigmoid(0) = 0.5 counts for p ≥ 0.5 but not for q > 0: ex3 stops at 1.
        let half = try #require(stats.halting(.probability(0.5)))
        #expect(half.histogram == [2, 0, 1, 1])
        // sigmoid(q) ≥ 0.9 needs q ≥ 2.197: ex1 at 2 (wrong), ex3 at 4, the others never.
        let strict = try #require(stats.halting(.probability(0.9)))
        #expect(strict.histogram == [0, 1, 0, 3])
        #expect(strict.neverHalted == 2)
        #expect(strict.exactAccuracy == 0.5)
        for rule in stats.halting { #expect(rule.histogram.reduce(0, +) == stats.count) }
    }

    @Test func accuracyAtMaxKEqualsFinalExactAccuracy() {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<50).map { _ in
            KTrace(
                exact: (0..<7).map { _ in Bool.random(using: &generator) }, tokenAccuracy: (0..<7).map { _ in Double.random(in: 0...1) },
                qHalt: (0..<7).map { _ in Float.random(in: -3...3) })
        }
        let stats = KStatistics.compute(random, thresholds: [0.7])
        let final = Double(random.filter { $0.exact.last! }.count) / 50
        #expect(stats.accuracy.last?.exactAccuracy == final)
        #expect(Double(stats.examples.filter(\.correctAtMax).count) / 50 == final)
        for rule in stats.halting { #expect(rule.histogram.reduce(0, +) == 50) }
        for example in stats.examples where example.correctAtMax {
            let k = example.optimalK!
            #expect(random[example.index].exact[(k - 1)...].allSatisfy { $0 })
            #expect(k == 1 || !random[example.index].exact[k - 2])
        }
    }

    @Test func difficultyBucketsAreQuantilesThatKeepTiesTogether() throws {
        // Eight rated examples (difficulty 1…8), harder ones need more steps; one unrated.
        var items: [KTrace] = (1...8).map { d in
            let needed = (d + 1) / 2  // 1,1,2,2,3,3,4,4
            let pattern = String((1...4).map { $0 >= needed ? "X" : "." })
            return trace(pattern, q: (1...4).map { $0 >= needed ? 1 : -1 }, difficulty: Double(d), group: d % 2 == 0 ? "even" : "odd")
        }
        items.append(trace("....", q: [-1, -1, -1, -1]))
        let stats = KStatistics.compute(items, thresholds: [])
        #expect(stats.difficultyBuckets.map(\.count) == [2, 2, 2, 2])
        #expect(stats.difficultyBuckets.map(\.lower) == [1, 3, 5, 7])
        #expect(stats.difficultyBuckets.map(\.upper) == [2, 4, 6, 8])
        #expect(stats.difficultyBuckets.map(\.meanOptimalK) == [1, 2, 3, 4])
        #expect(stats.difficultyBuckets.map(\.meanHaltK) == [1, 2, 3, 4])
        #expect(stats.groups.map(\.label) == ["even", "odd"] && stats.groups.map(\.count) == [4, 4])

        // Ties: five examples of difficulty 1 and three of 2 make two buckets, not four.
        let tied = (0..<8).map { i in trace("XXXX", q: [1, 1, 1, 1], difficulty: i < 5 ? 1 : 2) }
        let buckets = KStatistics.compute(tied, thresholds: []).difficultyBuckets
        #expect(buckets.map(\.count) == [5, 3])
        #expect(buckets.map(\.lower) == [1, 2])
    }

    @Test func accumulatorMatchesDirectComputation() {
        var accumulator = KStatisticsAccumulator(maxK: 4)
        for batch in [Array(traces[0..<3]), Array(traces[3...])] {
            accumulator.beginBatch(rows: batch.count, difficulty: batch.map(\.difficulty))
            for k in 1...4 {
                accumulator.record(
                    step: k, exact: batch.map { $0.exact[k - 1] }, tokenAccuracy: batch.map { $0.tokenAccuracy[k - 1] },
                    qHalt: batch.map { $0.qHalt[k - 1] })
            }
        }
        #expect(accumulator.count == 4)
        #expect(accumulator.statistics(thresholds: [0.9]) == KStatistics.compute(traces, thresholds: [0.9]))
        #expect(KStatisticsAccumulator(maxK: 3).statistics(thresholds: [0.5]).halting.map(\.histogram) == [[0, 0, 0], [0, 0, 0]])
    }

    @Test func accumulatorScoresPredictionsLikeTheReference() {
        var accumulator = KStatisticsAccumulator(maxK: 1)
        accumulator.beginBatch(rows: 3)
        // Row 0: both counted tokens right (third ignored). Row 1: one of three right. Row 2: no
        // label at all, so it does not count.
        accumulator.record(
            step: 1, predictions: [1, 2, 9, 1, 1, 1, 0, 0, 0], labels: [1, 2, -100, 1, 2, 3, -100, -100, -100], seqLen: 3,
            qLogits: [0.5, -0.5, -2, 2, 1, 1])
        let stats = accumulator.statistics(thresholds: [])
        #expect(stats.count == 2 && accumulator.count == 2)
        #expect(stats.accuracy[0].exactAccuracy == 0.5)
        #expect(abs(stats.accuracy[0].tokenAccuracy - (1 + 1.0 / 3) / 2) < 1e-12)
        #expect(stats.examples.map(\.haltK) == [1, 1])
        #expect(stats.halting[0].neverHalted == 1)
    }

    @Test func storeRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let run = try store.createRun(for: try experiment("kstats"))
        let items = traces.enumerated().map { i, t in
            var t = t
            t.difficulty = Double(i)
            t.group = i < 2 ? "a" : nil
            return t
        }
        let stats = KStatistics.compute(items, thresholds: [0.5, 0.9])
        try store.recordKStatistics(run: run.id, evalStep: 200, stats)
        try store.recordKStatistics(run: run.id, evalStep: 100, KStatistics.compute(Array(items.prefix(2)), thresholds: []))
        #expect(try store.kEvaluationSteps(run: run.id) == [100, 200])
        #expect(try store.kStatistics(run: run.id) == stats)
        #expect(try store.kStatistics(run: run.id, evalStep: 100)?.count == 2)
        #expect(try store.kStatistics(run: "other") == nil)
    }
}

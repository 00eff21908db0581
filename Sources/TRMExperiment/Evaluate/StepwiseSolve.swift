import Foundation
import TRMData
import TRMModel

/// What the model answers for one puzzle after each ACT step.
public struct SolveTrace: Sendable {
    /// One ACT step.
    public struct Step: Sendable {
        /// ACT step, 1…K.
        public var k: Int
        /// The predicted answer.
        public var grid: PuzzleGrid
        /// Halting logits: q_halt (stop) and q_continue.
        public var qHalt: Float
        /// The halting head's continue logit q_continue.
        public var qContinue: Float
        /// Softmax probability of the predicted token of each grid cell (row-major, as `grid.cells`).
        public var confidence: [Float]
        /// The raw predicted token ids, all `seq_len` of them (the grid drops padding and borders).
        public var tokens: [Int32]

        /// sigmoid(q_halt): the model's confidence that it can stop here.
        public var haltProbability: Double { 1 / (1 + exp(-Double(qHalt))) }
    }

    /// The puzzle as given.
    public var puzzle: SolvePuzzle
    /// The answer after each ACT step, 1…K in order.
    public var steps: [Step]

    /// Where the model would stop on its own: the first step with q_halt > 0; nil if none of the K did.
    public var haltStep: Int? { steps.first { $0.qHalt > 0 }?.k }

    /// Whether the answer at `step` equals the known answer (nil when none is known).
    public func correct(at step: Step) -> Bool? {
        puzzle.answer.map { PuzzleGrid(kind: puzzle.kind, tokens: $0) == step.grid }
    }
}

/// `trm-exp solve`: runs puzzles through a checkpoint K ACT steps and keeps every step's answer,
/// halting logits and per-cell confidence. It is `Evaluation.run` with an observer, so step K's
/// answer is the one `trm-exp eval` scores.
public enum StepwiseSolve {
    /// Traces of `puzzles` (each `seq_len` tokens), in order.
    /// - Throws: `PuzzleInputError` when a puzzle does not fit the model.
    public static func run(_ puzzles: [SolvePuzzle], parameters: ModelParameters, maxK: Int, loss: LossKind = .stablemax) throws -> [SolveTrace] {
        let config = parameters.config
        let (s, vocab) = (config.seq_len, config.vocab_size)
        for puzzle in puzzles where puzzle.tokens.count != s || puzzle.tokens.contains(where: { Int($0) >= vocab }) {
            throw PuzzleInputError("\(puzzle.source) does not fit this model (\(s) tokens below \(vocab) expected)")
        }
        let split = PuzzleSplit(
            metadata: PuzzleDatasetMetadata(
                vocabSize: vocab, seqLen: s, numPuzzleIdentifiers: config.num_puzzle_identifiers,
                totalGroups: puzzles.count, meanPuzzleExamples: 1, totalPuzzles: puzzles.count),
            inputs: puzzles.flatMap(\.tokens),
            // Unknown answers are all ignore-label (0): such rows are left out of the statistics.
            labels: puzzles.flatMap { $0.answer ?? [UInt8](repeating: 0, count: s) },
            puzzleIdentifiers: puzzles.map(\.identifier), puzzleIndices: (0...puzzles.count).map(Int32.init),
            groupIndices: (0...puzzles.count).map(Int32.init))
        var traces = puzzles.map { SolveTrace(puzzle: $0, steps: []) }
        _ = Evaluation.run(
            parameters: parameters, split: split, batchSize: min(puzzles.count, 64), maxK: maxK, thresholds: [],
            loss: loss
        ) { step in
            for row in 0..<step.validRows {
                let tokens = step.predictions[(row * s)..<((row + 1) * s)]
                let grid = PuzzleGrid(kind: puzzles[step.firstExample + row].kind, tokens: tokens)
                let confidence = grid.positions.map { position in
                    probability(
                        of: Int(tokens[tokens.startIndex + position]), logits: step.logits.pointer + (row * s + position) * vocab, vocab: vocab)
                }
                traces[step.firstExample + row].steps.append(
                    SolveTrace.Step(
                        k: step.k, grid: grid, qHalt: step.qLogits[row * 2], qContinue: step.qLogits[row * 2 + 1], confidence: confidence,
                        tokens: Array(tokens)))
            }
        }
        return traces
    }

    /// Softmax probability of `token` over one position's logits.
    static func probability(of token: Int, logits: UnsafeMutablePointer<Float>, vocab: Int) -> Float {
        var largest = -Float.infinity
        for v in 0..<vocab { largest = max(largest, logits[v]) }
        var sum: Float = 0
        for v in 0..<vocab { sum += exp(logits[v] - largest) }
        return token >= 0 && token < vocab ? exp(logits[token] - largest) / sum : 0
    }
}

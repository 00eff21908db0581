import TRMCore

/// A batch of token sequences as the engine consumes it.
public struct TokenBatch: Sendable {
    /// `[B, S]` input tokens.
    public var inputs: [Int32]
    /// `[B, S]` target tokens, −100 where ignored.
    public var labels: [Int32]
    /// `[B]` puzzle identifiers (rows of the puzzle table).
    public var puzzleIdentifiers: [Int32]

    /// A batch from flat arrays: `inputs` and `labels` are `[B, S]` row-major, `puzzleIdentifiers` is `[B]`.
    public init(inputs: [Int32], labels: [Int32], puzzleIdentifiers: [Int32]) {
        self.inputs = inputs
        self.labels = labels
        self.puzzleIdentifiers = puzzleIdentifiers
    }
}

/// The state carried between ACT steps (§7.1): latents, step counters, halting flags and the
/// data each sequence is working on. A new carry has every sequence halted, so the first step
/// resets everything.
public final class ACTCarry {
    /// Number of sequences B the carry holds.
    public let batchSize: Int
    /// The high-level latent z_H, detached between steps, stored position-major `[L, B, D]` like every activation
    /// (see `batchMajor` for the reference's `[B, L, D]` order).
    public let zH: FloatBuffer
    /// The low-level latent z_L, `[L, B, D]` position-major like `zH`.
    public let zL: FloatBuffer
    /// Positions L of the latents (`config.totalLength`: puzzle prefix plus sequence).
    public let length: Int
    /// Hidden width D of the latents.
    public let width: Int
    /// `[B]` ACT steps each sequence has taken since it was last reset.
    public var steps: [Int32]
    /// `[B]` whether each sequence halted at the last step; a halted row is reset with new data on the next step.
    public var halted: [Bool]
    /// The data each row is working on (`[B, S]`, `[B, S]`, `[B]`).
    public var current: TokenBatch

    /// A carry for `batchSize` sequences of `config`'s total length, every row halted so that the first
    /// step loads data and initial latents.
    public init(config: TRMConfig, batchSize: Int) {
        self.batchSize = batchSize
        length = config.totalLength
        width = config.hidden_size
        let count = batchSize * config.totalLength * config.hidden_size
        zH = FloatBuffer(count: count)
        zL = FloatBuffer(count: count)
        steps = [Int32](repeating: 0, count: batchSize)
        halted = [Bool](repeating: true, count: batchSize)
        let tokens = [Int32](repeating: 0, count: batchSize * config.seq_len)
        current = TokenBatch(inputs: tokens, labels: tokens, puzzleIdentifiers: [Int32](repeating: 0, count: batchSize))
    }
}

extension ACTCarry {
    /// A latent buffer in the reference's `[B, L, D]` order.
    public func batchMajor(_ latents: FloatBuffer) -> [Float] {
        LatentLayout.batchMajor(latents.pointer, batch: batchSize, length: length, width: width)
    }

    /// Fills a latent buffer from values in `[B, L, D]` order.
    public func setBatchMajor(_ latents: FloatBuffer, _ values: [Float]) {
        LatentLayout.setPositionMajor(latents.pointer, from: values, batch: batchSize, length: length, width: width)
    }
}

/// Conversions between the engine's position-major `[L, B, D]` rows and the reference's `[B, L, D]`.
public enum LatentLayout {
    /// Copies position-major `[L, B, D]` values into a new batch-major `[B, L, D]` array.
    public static func batchMajor(_ source: UnsafePointer<Float>, batch: Int, length: Int, width: Int) -> [Float] {
        var out = [Float](repeating: 0, count: batch * length * width)
        for b in 0..<batch {
            for position in 0..<length {
                for i in 0..<width { out[(b * length + position) * width + i] = source[(position * batch + b) * width + i] }
            }
        }
        return out
    }

    /// Writes batch-major `[B, L, D]` `values` into the position-major `[L, B, D]` storage at `target`.
    /// - Precondition: `values.count == batch · length · width`.
    public static func setPositionMajor(_ target: UnsafeMutablePointer<Float>, from values: [Float], batch: Int, length: Int, width: Int) {
        precondition(values.count == batch * length * width)
        for b in 0..<batch {
            for position in 0..<length {
                for i in 0..<width { target[(position * batch + b) * width + i] = values[(b * length + position) * width + i] }
            }
        }
    }
}

extension TRMNetwork {
    /// Step 1 of an ACT call: rows that halted restart from H_init/L_init with the new batch's data.
    func resetHalted(_ carry: ACTCarry, from batch: TokenBatch) {
        let s = config.seq_len
        for b in 0..<batchSize where carry.halted[b] {
            for position in 0..<l {
                (carry.zH.pointer + row(position, b) * d).update(from: parameters.hInit.pointer, count: d)
                (carry.zL.pointer + row(position, b) * d).update(from: parameters.lInit.pointer, count: d)
            }
            carry.steps[b] = 0
            for t in 0..<s {
                carry.current.inputs[b * s + t] = batch.inputs[b * s + t]
                carry.current.labels[b * s + t] = batch.labels[b * s + t]
            }
            carry.current.puzzleIdentifiers[b] = batch.puzzleIdentifiers[b]
        }
    }

    private func runInner(_ carry: ACTCarry, recordGradients: Bool) {
        carry.current.inputs.withUnsafeBufferPointer { tokens in
            carry.current.puzzleIdentifiers.withUnsafeBufferPointer { ids in
                innerStep(
                    zH: carry.zH.pointer, zL: carry.zL.pointer, tokens: tokens.baseAddress!, puzzleIDs: ids.baseAddress!,
                    recordGradients: recordGradients)
            }
        }
    }

    private func lossHead(_ carry: ACTCarry, kind: LossKind, gradientScale: Float?, predictions: UnsafeMutablePointer<Int32>?) -> StepMetrics {
        carry.current.labels.withUnsafeBufferPointer { labels in
            carry.halted.withUnsafeBufferPointer { halted in
                carry.steps.withUnsafeBufferPointer { steps in
                    LossHead.evaluate(
                        kind: kind, logits: logits.pointer, qLogits: qLogits.pointer, labels: labels.baseAddress!,
                        halted: halted.baseAddress!, steps: steps.baseAddress!, batch: batchSize, seqLen: config.seq_len,
                        vocab: config.vocab_size, gradientScale: gradientScale ?? 0,
                        dLogits: gradientScale == nil ? nil : dLogits.pointer, dQ: gradientScale == nil ? nil : dQLogits.pointer,
                        predictions: predictions)
                }
            }
        }
    }

    /// One training ACT step (§7.2, §9.1): reset halted rows from `batch`, forward with gradient
    /// recording, halting by the Q head with exploration, the loss, and the backward pass.
    /// Gradients of `gradientScale · total loss` are *accumulated* into `gradients` (zero them
    /// first) and written to `puzzleRowGradients`.
    @discardableResult
    public func trainStep(
        _ carry: ACTCarry, batch: TokenBatch, loss: LossKind, exploration: inout RandomGenerator, gradientScale: Float
    ) -> StepMetrics {
        let draws = HaltingExploration(config: config, rows: batchSize, from: &exploration)
        return trainStep(carry, batch: batch, loss: loss, exploration: draws, rows: 0, gradientScale: gradientScale)
    }

    /// ``trainStep(_:batch:loss:exploration:gradientScale:)`` with the exploration drawn
    /// beforehand: this network's row `b` uses the draw of row `rows + b`.
    @discardableResult
    public func trainStep(
        _ carry: ACTCarry, batch: TokenBatch, loss: LossKind, exploration: HaltingExploration, rows first: Int, gradientScale: Float
    ) -> StepMetrics {
        resetHalted(carry, from: batch)
        runInner(carry, recordGradients: true)
        let maxSteps = Int32(config.halt_max_steps)
        for b in 0..<batchSize {
            carry.steps[b] += 1
            var halted = carry.steps[b] >= maxSteps
            if maxSteps > 1 {
                halted = halted || qLogits[b * 2] > 0
                let minimum = exploration.minimumSteps[first + b]
                if minimum > 0 { halted = halted && carry.steps[b] >= minimum }
            }
            carry.halted[b] = halted
        }
        let metrics = lossHead(carry, kind: loss, gradientScale: gradientScale, predictions: nil)
        backward()
        return metrics
    }

    /// One evaluation ACT step: rows halt only when they reach `maxSteps` (default
    /// `halt_max_steps`; any K ≥ 1 may be used at inference). Pass `batch` to (re)start halted rows.
    @discardableResult
    public func evalStep(
        _ carry: ACTCarry, batch: TokenBatch?, maxSteps: Int? = nil, loss: LossKind = .stablemax,
        predictions: UnsafeMutablePointer<Int32>? = nil
    ) -> StepMetrics {
        if let batch { resetHalted(carry, from: batch) }
        runInner(carry, recordGradients: false)
        let limit = Int32(maxSteps ?? config.halt_max_steps)
        for b in 0..<batchSize {
            carry.steps[b] += 1
            carry.halted[b] = carry.steps[b] >= limit
        }
        return lossHead(carry, kind: loss, gradientScale: nil, predictions: predictions)
    }
}

/// The halting exploration of one training step (§7.2), drawn for every row in row order before
/// the step, so that networks training slices of one batch draw exactly what a single network
/// over the whole batch would.
public struct HaltingExploration: Sendable {
    /// `[B]` the ACT steps an exploring row must take before it may halt; 0 where the row does not explore.
    public var minimumSteps: [Int32]

    /// Draws for `rows` rows: per row a uniform number (explore when below
    /// `halt_exploration_prob`) and a minimum in 2…halt_max_steps, both always drawn, as the
    /// reference does. Nothing is drawn when halt_max_steps is 1.
    public init(config: TRMConfig, rows: Int, from generator: inout RandomGenerator) {
        minimumSteps = [Int32](repeating: 0, count: rows)
        let maxSteps = config.halt_max_steps
        guard maxSteps > 1 else { return }
        for b in 0..<rows {
            let explore = generator.uniform() < config.halt_exploration_prob
            let minimum = Int32(generator.int(in: 2...maxSteps))
            if explore { minimumSteps[b] = minimum }
        }
    }
}

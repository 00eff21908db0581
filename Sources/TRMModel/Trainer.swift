import TRMCore

/// Training hyperparameters with the reference's defaults (§2.2, §9).
public struct TrainingHyperparameters: Codable, Equatable, Sendable {
    /// Peak learning rate of the flat parameters.
    public var lr: Double = 1e-4
    /// Steps of linear learning-rate warm-up (both schedules).
    public var lrWarmupSteps: Int = 2000
    /// Final learning rate as a fraction of the peak (1: constant after warm-up).
    public var lrMinRatio: Double = 1
    /// Total optimizer steps (sets the cosine horizon).
    public var totalSteps: Int = 1
    /// Adam first-moment decay.
    public var beta1: Double = 0.9
    /// Adam second-moment decay.
    public var beta2: Double = 0.95
    /// Decoupled weight decay of the flat parameters.
    public var weightDecay: Double = 0.1
    /// Learning rate of the puzzle embedding table (sign-SGD).
    public var puzzleEmbLR: Double = 1e-2
    /// Weight decay of the puzzle embedding table.
    public var puzzleEmbWeightDecay: Double = 0.1
    /// Token cross-entropy variant.
    public var loss: LossKind = .stablemax
    /// Update rule of the flat parameters.
    public var optimizer: OptimizerKind = .adam_atan2
    /// Whether to keep an exponential moving average of the parameters.
    public var ema: Bool = false
    /// EMA rate μ (weight of the old average).
    public var emaRate: Double = 0.999

    /// The reference defaults.
    public init() {}
}

/// The reference's training loop body (§9.1) around one network: one ACT step per batch, one
/// optimizer step per ACT step, the carry kept across batches.
///
/// With `shards` above 1 the batch is cut into that many contiguous slices of rows, each trained
/// by its own network on its own core with single-threaded products, and their gradients added:
/// the same step as one network over the whole batch (up to the order of float sums), without
/// the hand-offs that threading each small product costs.
public final class Trainer {
    /// The network being trained; it owns the parameters it updates (with shards, the first
    /// shard's network, whose gradients receive the sum).
    public let network: TRMNetwork
    /// Sequences per step B.
    public let batchSize: Int
    /// The settings this trainer was created with.
    public let hyperparameters: TrainingHyperparameters
    /// Optimizer state of the flat parameters (moments and step count; saved in checkpoints).
    public let optimizer: AdamOptimizer
    /// The parameter average, when `hyperparameters.ema` is on.
    public let ema: ParameterEMA?
    /// The ACT carry of the whole batch, persisting across batches and epochs.
    public let carry: ACTCarry
    /// Draws the halting exploration.
    public var exploration: RandomGenerator
    /// Optimizer steps taken so far.
    public private(set) var step = 0
    private let shards: [TrainingShard]
    /// `[B, d_p]` puzzle-row gradients of the whole batch, gathered from the shards.
    private let puzzleRowGradients: FloatBuffer
    private let schedule: LearningRateSchedule
    private let puzzleSchedule: LearningRateSchedule

    /// A trainer for `parameters` on batches of `batchSize` sequences; `explorationSeed` seeds the
    /// halting exploration. `shards` (capped at `batchSize`) slices the batch over that many cores.
    public init(parameters: ModelParameters, batchSize: Int, hyperparameters: TrainingHyperparameters, explorationSeed: UInt64, shards: Int = 1) {
        self.batchSize = batchSize
        self.hyperparameters = hyperparameters
        let h = hyperparameters
        optimizer = AdamOptimizer(kind: h.optimizer, count: parameters.layout.count, beta1: h.beta1, beta2: h.beta2, weightDecay: h.weightDecay)
        ema = h.ema ? ParameterEMA(parameters: parameters.values, rate: h.emaRate) : nil
        carry = ACTCarry(config: parameters.config, batchSize: batchSize)
        let parts = max(1, min(shards, batchSize))
        if parts == 1 {
            self.shards = [TrainingShard(parameters: parameters, rows: 0..<batchSize, carry: carry)]
        } else {
            self.shards = (0..<parts).map { part in
                let rows = (part * batchSize / parts)..<((part + 1) * batchSize / parts)
                return TrainingShard(parameters: parameters, rows: rows, carry: ACTCarry(config: parameters.config, batchSize: rows.count))
            }
        }
        network = self.shards[0].network
        puzzleRowGradients = parts == 1 ? network.puzzleRowGradients : FloatBuffer(count: batchSize * parameters.config.puzzle_emb_ndim)
        exploration = RandomGenerator(seed: explorationSeed)
        schedule = LearningRateSchedule(base: h.lr, warmupSteps: h.lrWarmupSteps, totalSteps: h.totalSteps, minRatio: h.lrMinRatio)
        puzzleSchedule = LearningRateSchedule(base: h.puzzleEmbLR, warmupSteps: h.lrWarmupSteps, totalSteps: h.totalSteps, minRatio: h.lrMinRatio)
    }

    /// Continues counting from a restored state.
    public func restore(step: Int) {
        self.step = step
        optimizer.restore(step: step)
    }

    /// The learning rate the next step will use.
    public var currentLearningRate: Double { schedule.rate(at: step + 1) }

    /// One ACT step on `batch` (exactly `batchSize` rows), then the puzzle-table sign-SGD and the
    /// parameter optimizer on gradients of loss / batch size, then the EMA.
    @discardableResult
    public func train(on batch: TokenBatch) -> StepMetrics {
        step += 1
        let draws = HaltingExploration(config: network.config, rows: batchSize, from: &exploration)
        let scale = 1 / Float(batchSize)
        let loss = hyperparameters.loss
        var metrics = StepMetrics()
        if shards.count == 1 {
            shards[0].train(on: batch, loss: loss, exploration: draws, gradientScale: scale)
            metrics = shards[0].metrics
        } else {
            for shard in shards { shard.load(from: carry, batch: batch) }
            // Each shard runs on its own core, so nothing inside may hand work to other threads.
            let threads = Parallel.threads
            Parallel.threads = 1
            BLAS.singleThreaded {
                Parallel.forEachChunk(shards.count, parts: shards.count) { part, _ in
                    shards[part].train(on: shards[part].batch, loss: loss, exploration: draws, gradientScale: scale)
                }
            }
            Parallel.threads = threads
            for shard in shards {
                shard.store(into: carry, puzzleRowGradients: puzzleRowGradients)
                metrics.add(shard.metrics)
            }
            let total = network.gradients.pointer
            for shard in shards.dropFirst() {
                let part = UnsafePointer(shard.network.gradients.pointer)
                for i in 0..<network.gradients.count { total[i] += part[i] }
            }
        }
        let config = network.config
        PuzzleEmbeddingSignSGD.update(
            table: network.parameters.puzzleTable, width: config.puzzle_emb_ndim, rowGradients: puzzleRowGradients,
            ids: carry.current.puzzleIdentifiers, lr: puzzleSchedule.rate(at: step), weightDecay: hyperparameters.puzzleEmbWeightDecay)
        optimizer.update(parameters: network.parameters.values, gradients: network.gradients, lr: schedule.rate(at: step))
        ema?.update(from: network.parameters.values)
        return metrics
    }
}

import TRMCore

/// Training hyperparameters with the reference's defaults (§2.2, §9).
public struct TrainingHyperparameters: Codable, Equatable, Sendable {
    public var lr: Double = 1e-4
    public var lrWarmupSteps: Int = 2000
    public var lrMinRatio: Double = 1
    /// Total optimizer steps (sets the cosine horizon).
    public var totalSteps: Int = 1
    public var beta1: Double = 0.9
    public var beta2: Double = 0.95
    public var weightDecay: Double = 0.1
    public var puzzleEmbLR: Double = 1e-2
    public var puzzleEmbWeightDecay: Double = 0.1
    public var loss: LossKind = .stablemax
    public var optimizer: OptimizerKind = .adam_atan2
    public var ema: Bool = false
    public var emaRate: Double = 0.999

    public init() {}
}

/// The reference's training loop body (§9.1) around one network: one ACT step per batch, one
/// optimizer step per ACT step, the carry kept across batches.
public final class Trainer {
    public let network: TRMNetwork
    public let hyperparameters: TrainingHyperparameters
    public let optimizer: AdamOptimizer
    public let ema: ParameterEMA?
    /// The ACT carry, persisting across batches and epochs.
    public let carry: ACTCarry
    /// Draws the halting exploration.
    public var exploration: RandomGenerator
    /// Optimizer steps taken so far.
    public private(set) var step = 0
    private let schedule: LearningRateSchedule
    private let puzzleSchedule: LearningRateSchedule

    public init(parameters: ModelParameters, batchSize: Int, hyperparameters: TrainingHyperparameters, explorationSeed: UInt64) {
        network = TRMNetwork(parameters: parameters, batchSize: batchSize)
        self.hyperparameters = hyperparameters
        let h = hyperparameters
        optimizer = AdamOptimizer(kind: h.optimizer, count: parameters.layout.count, beta1: h.beta1, beta2: h.beta2, weightDecay: h.weightDecay)
        ema = h.ema ? ParameterEMA(parameters: parameters.values, rate: h.emaRate) : nil
        carry = ACTCarry(config: parameters.config, batchSize: batchSize)
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
        network.gradients.zero()
        let metrics = network.trainStep(
            carry, batch: batch, loss: hyperparameters.loss, exploration: &exploration, gradientScale: 1 / Float(network.batchSize))
        let config = network.config
        PuzzleEmbeddingSignSGD.update(
            table: network.parameters.puzzleTable, width: config.puzzle_emb_ndim, rowGradients: network.puzzleRowGradients,
            ids: carry.current.puzzleIdentifiers, lr: puzzleSchedule.rate(at: step), weightDecay: hyperparameters.puzzleEmbWeightDecay)
        optimizer.update(parameters: network.parameters.values, gradients: network.gradients, lr: schedule.rate(at: step))
        ema?.update(from: network.parameters.values)
        return metrics
    }
}

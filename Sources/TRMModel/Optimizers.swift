import Foundation
import TRMCore

/// The optimizer for the flat parameters.
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    /// The reference's Adam-atan2 (package adam-atan2 0.0.3): no ε, b2 inside the atan2.
    case adam_atan2
    /// AdamW with ε = 1e-8 and decoupled weight decay.
    case adamw
}

/// Adam-family optimizer state over the flat parameter block. Weight decay is decoupled and
/// applies to every parameter (embeddings and the q_head bias included), as in the reference.
public final class AdamOptimizer: @unchecked Sendable {
    /// Which update rule `step` applies.
    public let kind: OptimizerKind
    /// Decay rate of the first moment.
    public var beta1: Double
    /// Decay rate of the second moment.
    public var beta2: Double
    /// Decoupled weight decay, multiplied by the learning rate each step.
    public var weightDecay: Double
    /// Denominator guard of AdamW (Adam-atan2 has none).
    public var epsilon: Double = 1e-8
    /// First moment (mean of the gradients), same layout as the parameters.
    public let m: FloatBuffer
    /// Second moment (uncentred variance), same layout as the parameters.
    public let v: FloatBuffer
    /// Steps taken (the reference keeps it as a float32 counter).
    public private(set) var step: Int = 0

    /// Zeroed moments for `count` parameters, with the reference's defaults.
    public init(kind: OptimizerKind, count: Int, beta1: Double = 0.9, beta2: Double = 0.95, weightDecay: Double = 0.1) {
        self.kind = kind
        self.beta1 = beta1
        self.beta2 = beta2
        self.weightDecay = weightDecay
        m = FloatBuffer(count: count)
        v = FloatBuffer(count: count)
    }

    /// Restores the step counter (moments are restored through `m` and `v`).
    public func restore(step: Int) { self.step = step }

    /// One update of `parameters` from `gradients` at learning rate `lr`.
    public func update(parameters: FloatBuffer, gradients: FloatBuffer, lr: Double) {
        precondition(parameters.count == m.count && gradients.count == m.count)
        step += 1
        let t = Double(Float(step))
        let b1 = 1 - pow(beta1, t)
        let b2 = 1 - pow(beta2, t)
        let decay = Float(1 - lr * weightDecay)
        let oneMinusBeta1 = Float(1 - beta1)
        let oneMinusBeta2 = Float(1 - beta2)
        let theta = parameters.pointer
        let grad = gradients.pointer
        let mm = m.pointer
        let vv = v.pointer
        let count = m.count
        switch kind {
        case .adam_atan2:
            let stepSize = Float(lr / b1)
            let sqrtB2 = Float(b2.squareRoot())
            for i in 0..<count {
                let gi = grad[i]
                theta[i] *= decay
                mm[i] += oneMinusBeta1 * (gi - mm[i])
                vv[i] += oneMinusBeta2 * (gi * gi - vv[i])
                theta[i] -= stepSize * atan2(mm[i], vv[i].squareRoot() / sqrtB2)
            }
        case .adamw:
            let stepSize = Float(lr / b1)
            let sqrtB2 = Float(b2.squareRoot())
            let eps = Float(epsilon)
            for i in 0..<count {
                let gi = grad[i]
                theta[i] *= decay
                mm[i] += oneMinusBeta1 * (gi - mm[i])
                vv[i] += oneMinusBeta2 * (gi * gi - vv[i])
                theta[i] -= stepSize * mm[i] / (vv[i].squareRoot() / sqrtB2 + eps)
            }
        }
    }
}

/// Sign-SGD with decoupled weight decay for the puzzle-embedding table (§9.4): for every id in
/// the batch, the gradient rows of equal id are summed and only the sign is used. Rows not in the
/// batch are untouched.
public enum PuzzleEmbeddingSignSGD {
    /// Applies one step to the rows of `table` named by `ids`.
    /// - Parameters:
    ///   - table: the puzzle-embedding table `[num_puzzle_identifiers, width]`, updated in place.
    ///   - width: embedding width d_p (0: nothing to do).
    ///   - rowGradients: `[B, d_p]` gradient per sequence.
    ///   - ids: `[B]` puzzle identifiers of the sequences.
    ///   - lr: learning rate (step size of the sign update).
    ///   - weightDecay: decoupled decay; a touched row is scaled by `1 − lr · weightDecay` first.
    public static func update(
        table: FloatBuffer, width: Int, rowGradients: FloatBuffer, ids: [Int32], lr: Double, weightDecay: Double
    ) {
        guard width > 0 else { return }
        let decay = Float(1 - lr * weightDecay)
        let step = Float(lr)
        var seen = Set<Int32>()
        var sum = [Float](repeating: 0, count: width)
        for (b, id) in ids.enumerated() where seen.insert(id).inserted {
            for j in 0..<width { sum[j] = 0 }
            for other in b..<ids.count where ids[other] == id {
                let row = rowGradients.pointer + other * width
                for j in 0..<width { sum[j] += row[j] }
            }
            let target = table.pointer + Int(id) * width
            for j in 0..<width {
                let sign: Float = sum[j] > 0 ? 1 : (sum[j] < 0 ? -1 : 0)
                target[j] = target[j] * decay - step * sign
            }
        }
    }
}

/// The reference's learning-rate schedule (§9.2): linear warm-up, then cosine down to
/// `minRatio · base` (constant when `minRatio` = 1, the reference default).
public struct LearningRateSchedule: Codable, Equatable, Sendable {
    /// Peak learning rate, reached at the end of warm-up.
    public var base: Double
    /// Steps of linear warm-up from 0 to `base`.
    public var warmupSteps: Int
    /// Step at which the cosine reaches `minRatio · base`.
    public var totalSteps: Int
    /// Final rate as a fraction of `base` (1 keeps the rate constant after warm-up).
    public var minRatio: Double

    /// A schedule; `minRatio` defaults to the reference's 1 (no decay).
    public init(base: Double, warmupSteps: Int, totalSteps: Int, minRatio: Double = 1) {
        self.base = base
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.minRatio = minRatio
    }

    /// The rate for the (1-based) step `step`.
    public func rate(at step: Int) -> Double {
        if step < warmupSteps { return base * Double(step) / Double(max(1, warmupSteps)) }
        let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
        return base * (minRatio + max(0, (1 - minRatio) * 0.5 * (1 + cos(Double.pi * progress))))
    }
}

/// Exponential moving average of the parameters (§9.5): `shadow ← (1 − μ)·θ + μ·shadow`.
public final class ParameterEMA: @unchecked Sendable {
    /// μ, the weight of the old shadow in each update (e.g. 0.999).
    public let rate: Double
    /// The averaged parameters, same layout as the model's flat block; evaluated instead of the raw ones when EMA is on.
    public let shadow: FloatBuffer

    /// Starts from a copy of `parameters`.
    public init(parameters: FloatBuffer, rate: Double = 0.999) {
        self.rate = rate
        shadow = FloatBuffer(count: parameters.count)
        shadow.pointer.update(from: parameters.pointer, count: parameters.count)
    }

    /// Folds the current `parameters` into the shadow; called after each optimizer step.
    public func update(from parameters: FloatBuffer) {
        let mu = Float(rate)
        let keep = Float(1 - rate)
        for i in 0..<shadow.count { shadow[i] = keep * parameters[i] + mu * shadow[i] }
    }
}

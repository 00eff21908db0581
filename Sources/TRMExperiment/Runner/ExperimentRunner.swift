import Foundation
import Logging
import TRMCore
import TRMData
import TRMModel

/// How `trm-exp run` was asked to run.
public struct RunOptions: Sendable {
    /// The run store (SQLite file); run folders and checkpoints go next to it.
    public var storePath: String = RunStore.defaultPath
    /// Stop after this many optimizer steps in total (the schedule keeps the config's length).
    public var maxSteps: Int?
    /// No progress display.
    public var quiet = false

    /// The defaults: the default store path, no step limit, progress shown.
    public init() {}
}

/// Trains one experiment with the reference's loop (ACT carry across batches, one optimizer step
/// per ACT step), evaluating, checkpointing and recording everything in the run store. A run can
/// be stopped at any point (signal or crash) and resumed from its last good checkpoint with
/// nothing lost: the resumed run is bit-identical to an uninterrupted one.
public final class ExperimentRunner {
    let experiment: ResolvedExperiment
    let store: RunStore
    let options: RunOptions
    let logger: Logger
    private(set) var run: RunRecord

    private let prepared: PreparedDataset
    private let trainer: Trainer
    private var sampler: BatchSampler
    private let totalSteps: Int
    private var bestMetric: Double?
    private var pending: [MetricPoint] = []
    /// The current logging interval's sums (saved in checkpoints so a resumed run logs the same values).
    private var log = TrainingLog()

    /// Starts a new run of `experiment`.
    public static func start(_ experiment: ResolvedExperiment, options: RunOptions, logger: Logger) throws -> RunRecord {
        let store = try RunStore(path: options.storePath)
        let prepared = try DatasetPreparation.prepare(
            experiment.config, progress: DatasetProgressDisplay(mode: .automatic(quiet: options.quiet))
        ) { logger.info("\($0)") }
        let run = try store.createRun(for: experiment, gitCommit: HostInfo.gitCommit(), datasetDigest: prepared.digest)
        let runner = try ExperimentRunner(experiment: experiment, run: run, prepared: prepared, store: store, options: options, logger: logger)
        try store.setParams(
            run: run.id,
            [
                ReportMetrics.parameterCountKey: "\(runner.trainer.network.parameters.parameterCount)",
                RunProgress.totalStepsKey: "\(runner.totalSteps)",
            ])
        logger.info(
            "run \(run.id) '\(run.name)': \(prepared.summary); \(runner.trainer.network.parameters.parameterCount) parameters, \(runner.totalSteps) steps"
        )
        return try runner.train()
    }

    /// Continues a stopped run from its latest checkpoint that verifies.
    public static func resume(_ reference: String, options: RunOptions, logger: Logger) throws -> RunRecord {
        let store = try RunStore.openExisting(path: options.storePath)
        var run = try store.resolveRun(reference)
        guard run.status != .finished else { throw RunStoreError("run \(run.id) already finished; start a new run instead") }
        let experiment = try ExperimentConfig.resolve(Data(run.config_json.utf8), source: "run \(run.id)")
        let prepared = try DatasetPreparation.prepare(
            experiment.config, progress: DatasetProgressDisplay(mode: .automatic(quiet: options.quiet))
        ) { logger.info("\($0)") }
        if let digest = run.dataset_digest, digest != prepared.digest {
            throw RunStoreError(
                "the dataset of run \(run.id) changed since it started (digest \(digest.prefix(12)) → \(prepared.digest.prefix(12))); resume needs the same inputs"
            )
        }
        let runner = try ExperimentRunner(experiment: experiment, run: run, prepared: prepared, store: store, options: options, logger: logger)
        let step = try runner.restoreLatestCheckpoint()
        try store.discardRecords(run: run.id, after: step)
        try store.updateStatus(run: run.id, .running, stepsDone: step)
        run = try store.run(id: run.id)
        runner.run = run
        logger.info("resuming run \(run.id) '\(run.name)' from step \(step) of \(runner.totalSteps)")
        return try runner.train()
    }

    private init(
        experiment: ResolvedExperiment, run: RunRecord, prepared: PreparedDataset, store: RunStore, options: RunOptions, logger: Logger
    ) throws {
        self.experiment = experiment
        self.run = run
        self.prepared = prepared
        self.store = store
        self.options = options
        self.logger = logger
        let c = experiment.config
        let threads = c.threads ?? ProcessInfo.processInfo.activeProcessorCount
        BLAS.setThreads(threads)
        let train = prepared.dataset.train
        let meta = train.metadata
        let model = try c.model.resolved(seqLen: meta.seqLen, vocabSize: meta.vocabSize, numPuzzleIdentifiers: meta.numPuzzleIdentifiers)
        let t = c.training
        totalSteps = t.steps ?? max(1, Int(Double(t.epochs ?? 1) * Double(meta.totalGroups) * meta.meanPuzzleExamples / Double(t.batch_size)))
        var h = TrainingHyperparameters()
        h.lr = t.lr
        h.lrWarmupSteps = t.lr_warmup_steps
        h.lrMinRatio = t.lr_min_ratio
        h.totalSteps = totalSteps
        h.beta1 = t.beta1
        h.beta2 = t.beta2
        h.weightDecay = t.weight_decay
        h.puzzleEmbLR = t.puzzle_emb_lr
        h.puzzleEmbWeightDecay = t.puzzle_emb_weight_decay
        h.loss = t.loss
        h.optimizer = t.optimizer
        h.ema = t.ema
        h.emaRate = t.ema_rate
        let seed = UInt64(c.seed)
        let parameters = ModelParameters(config: model, seed: DatasetPreparation.subSeed(seed, 0x1417))
        trainer = Trainer(
            parameters: parameters, batchSize: t.batch_size, hyperparameters: h, explorationSeed: DatasetPreparation.subSeed(seed, 0xE8),
            shards: threads)
        sampler = BatchSampler(
            split: train, batchSize: t.batch_size, seed: DatasetPreparation.subSeed(seed, 0xDA7A),
            augmentation: DatasetPreparation.onlineAugmentation(for: c.dataset, split: train),
            curriculum: try t.curriculum.map { try DatasetPreparation.curriculum($0, split: train) })
    }

    // MARK: The loop

    private func train() throws -> RunRecord {
        let c = experiment.config
        let stopAt = min(totalSteps, options.maxSteps ?? Int.max)
        let progress = ProgressReporter(label: run.name, total: stopAt, startStep: trainer.step, mode: .automatic(quiet: options.quiet))
        InterruptSignal.install()
        // Accuracy exists only for sequences that halted; between halts show the last values seen.
        var shown: [(name: String, value: Double)] = []
        do {
            while trainer.step < stopAt {
                guard let batch = sampler.next() else {
                    if let window = sampler.curriculum?.window(atStep: sampler.state.batchesDrawn) {
                        throw RunStoreError(
                            "the training split has fewer than \(sampler.batchSize) examples of difficulty \(String(format: "%g", window.lowerBound))–\(String(format: "%g", window.upperBound)), the window training.curriculum sets at step \(trainer.step); widen training.curriculum.start or .end"
                        )
                    }
                    throw RunStoreError(
                        "the training split (\(sampler.split.exampleCount) examples) cannot fill one batch of \(sampler.batchSize); lower training.batch_size"
                    )
                }
                let lr = trainer.currentLearningRate
                let metrics = trainer.train(on: TokenBatch(inputs: batch.inputs, labels: batch.labels, puzzleIdentifiers: batch.puzzleIdentifiers))
                let carry = trainer.carry
                log.add(metrics, batchSize: sampler.batchSize, haltedSteps: (0..<carry.batchSize).filter { carry.halted[$0] }.map { carry.steps[$0] })
                let step = trainer.step
                if log.hasHaltedSequences || shown.isEmpty { shown = log.progressFields }
                progress.update(step: step, fields: shown)
                if step % c.training.log_every == 0 || step == stopAt {
                    for (key, value) in log.values(lr: lr) { pending.append(MetricPoint(step: step, split: "train", key: key, value: value)) }
                    log = TrainingLog()
                    try flushMetrics()
                }
                let evaluate = c.evaluation.interval.map { step % $0 == 0 } ?? false
                var improved = false
                if evaluate || step == totalSteps { improved = try evaluateNow() }
                let checkpointDue = c.checkpointing.every.map { step % $0 == 0 } ?? evaluate
                if checkpointDue || improved || step == stopAt || InterruptSignal.isRequested { try checkpoint(isBest: improved) }
                if InterruptSignal.isRequested {
                    progress.finish("interrupted at step \(step); resume with `trm-exp run --resume \(run.id)`")
                    try store.updateStatus(run: run.id, .interrupted, stepsDone: step)
                    return try store.run(id: run.id)
                }
            }
            try flushMetrics()
            progress.finish("finished \(trainer.step) steps")
            try store.updateStatus(run: run.id, .finished, stepsDone: trainer.step)
        } catch {
            try? flushMetrics()
            try? store.updateStatus(run: run.id, .failed, stepsDone: trainer.step)
            throw error
        }
        return try store.run(id: run.id)
    }

    private func flushMetrics() throws {
        guard !pending.isEmpty else { return }
        try store.logMetrics(run: run.id, pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Evaluates on the test split (EMA weights when EMA is on); returns whether the exact
    /// accuracy is the best so far.
    private func evaluateNow() throws -> Bool {
        let c = experiment.config
        let parameters = trainer.network.parameters
        let weights: ModelParameters
        if let ema = trainer.ema {
            weights = parameters.copy()
            weights.values.pointer.update(from: ema.shadow.pointer, count: ema.shadow.count)
        } else {
            weights = parameters
        }
        let result = Evaluation.run(
            parameters: weights, split: prepared.dataset.test, batchSize: min(c.training.batch_size, 256), maxK: c.evaluation.max_k,
            thresholds: c.evaluation.halt_thresholds, limit: c.evaluation.test_limit, loss: c.training.loss,
            groups: ExampleGroups.labels(kind: c.dataset.kind, dataset: prepared.dataset, split: prepared.dataset.test))
        let step = trainer.step
        let metrics = result.referenceMetrics
        for (key, value) in metrics.sorted(by: { $0.key < $1.key }) {
            pending.append(MetricPoint(step: step, split: "test", key: key, value: value))
        }
        try flushMetrics()
        try store.recordKStatistics(run: run.id, evalStep: step, result.statistics)
        let exact = metrics["exact_accuracy"] ?? 0
        logger.info(
            "step \(step): test exact accuracy \(String(format: "%.4f", exact)), token accuracy \(String(format: "%.4f", metrics["accuracy"] ?? 0)) over \(result.lastStep.count) examples at K = \(c.evaluation.max_k)"
        )
        if bestMetric.map({ exact > $0 }) ?? true {
            bestMetric = exact
            return true
        }
        return false
    }

    // MARK: Checkpoints

    private func checkpoint(isBest: Bool) throws {
        try flushMetrics()
        let directory = store.runDirectory(for: run.id)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var payload = try TrainingCheckpoint.payload(
            trainer: trainer, samplerState: sampler.state,
            provenance: .init(runID: run.id, configHash: run.config_hash, datasetDigest: prepared.digest), bestMetric: bestMetric)
        payload.metadata[TrainingCheckpoint.trainingLogKey] = String(decoding: try JSONEncoder().encode(log), as: UTF8.self)
        let url = CheckpointFile.url(in: directory, step: trainer.step)
        let info = try CheckpointFile.write(payload, to: url)
        try store.recordCheckpoint(
            CheckpointRecord(run_id: run.id, step: trainer.step, path: info.path, bytes: info.bytes, sha256: info.sha256, is_best: isBest))
        _ = try CheckpointPruning.prune(run: run.id, keep: experiment.config.checkpointing.keep, store: store)
    }

    /// Loads the newest checkpoint that verifies, falling back to older ones; returns its step.
    private func restoreLatestCheckpoint() throws -> Int {
        let records = try store.checkpoints(run: run.id).sorted { $0.step > $1.step }
        guard !records.isEmpty else {
            throw RunStoreError("run \(run.id) has no checkpoint to resume from; start it again with `trm-exp run`")
        }
        for record in records {
            do {
                let file = try CheckpointFile.read(from: URL(fileURLWithPath: record.path), expectedSHA256: record.sha256)
                try TrainingCheckpoint.restore(file, into: trainer, sampler: &sampler)
                bestMetric = file.metadata[TrainingCheckpoint.bestMetricKey].flatMap(Double.init)
                if let text = file.metadata[TrainingCheckpoint.trainingLogKey] {
                    log = try JSONDecoder().decode(TrainingLog.self, from: Data(text.utf8))
                }
                return record.step
            } catch {
                logger.warning("checkpoint at step \(record.step) refused: \(error); trying the previous one")
            }
        }
        throw RunStoreError("no checkpoint of run \(run.id) could be read; start the run again")
    }
}

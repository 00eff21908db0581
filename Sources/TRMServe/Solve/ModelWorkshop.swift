import Dispatch
import Foundation
import TRMData
import TRMExperiment

/// Where the playground's heavy work happens: building a run's dataset, loading a checkpoint and
/// running the model. Jobs run one at a time on a thread of their own, because they are
/// CPU-bound and would otherwise stall the server's async threads (and a second solve would
/// only compete for the same cores). The most recently used models and datasets stay loaded,
/// so stepping through puzzles of one checkpoint does not re-read it each time.
final class ModelWorkshop: @unchecked Sendable {
    // Safe to share: `models` and `datasets` are only touched by jobs on `queue`, which is serial.
    private let queue = DispatchQueue(label: "trm-exp.serve.models", qos: .userInitiated)
    private var models: [(key: String, value: LoadedCheckpoint)] = []
    private var datasets: [(key: String, value: PuzzleDataset)] = []
    /// How many models and how many datasets stay loaded.
    let capacity = 2

    /// Runs `job` on the workshop's thread and returns its result.
    func perform<T: Sendable>(_ job: @escaping @Sendable (ModelWorkshop) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try job(self) }) }
        }
    }

    /// The checkpoint `record` of `run`, loaded (or kept from an earlier job). Call inside `perform`.
    func model(run: RunRecord, record: CheckpointRecord, ema: Bool) throws -> LoadedCheckpoint {
        dispatchPrecondition(condition: .onQueue(queue))
        let key = "\(run.id)/\(record.step)/\(record.sha256)/\(ema)"
        return try Self.cached(key, in: &models, capacity: capacity) { try LoadedCheckpoint.load(run: run, record: record, ema: ema) }
    }

    /// The dataset `experiment` describes (a run's), built or read from its cache. Call inside `perform`.
    func dataset(run: RunRecord, experiment: ExperimentConfig) throws -> PuzzleDataset {
        dispatchPrecondition(condition: .onQueue(queue))
        let key = run.dataset_digest ?? run.config_hash
        return try Self.cached(key, in: &datasets, capacity: capacity) {
            try DatasetPreparation.prepare(experiment).dataset
        }
    }

    /// Least-recently-used cache lookup: a hit moves to the end, a miss is made and may evict the oldest.
    private static func cached<Value>(_ key: String, in entries: inout [(key: String, value: Value)], capacity: Int, make: () throws -> Value)
        rethrows -> Value
    {
        if let index = entries.firstIndex(where: { $0.key == key }) {
            let entry = entries.remove(at: index)
            entries.append(entry)
            return entry.value
        }
        let value = try make()
        entries.append((key, value))
        if entries.count > capacity { entries.removeFirst() }
        return value
    }
}

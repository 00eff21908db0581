import Foundation
import TRMExperiment

extension CLI {
    /// Polls `store` until its first run has at least `count` checkpoints and returns their steps;
    /// nil when `process` exits first or after `timeout` seconds. It blocks its thread instead of
    /// suspending: a suspended test may wait for a free thread of the shared pool (other tests
    /// hold them while their commands run) until the run it watches has already finished.
    static func waitForCheckpoints(in store: String, count: Int, of process: Process, timeout: TimeInterval = 60) -> [Int]? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            if let opened = try? RunStore.openExisting(path: store), let run = try? opened.listRuns().first?.run,
                let checkpoints = try? opened.checkpoints(run: run.id), checkpoints.count >= count
            {
                return checkpoints.map(\.step)
            }
            usleep(5_000)
        }
        return nil
    }
}

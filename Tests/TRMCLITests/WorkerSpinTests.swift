import Foundation
import TRMCore
import TRMExperiment
import Testing

/// trm-exp relaunches itself so that OpenBLAS loads with a short worker spin, unless the user chose one.
struct WorkerSpinTests {
    /// The host line a one-step smoke run records, run with `environment`.
    func recordedHost(environment: [String: String]) throws -> String {
        let store = try CLI.temporaryDirectory().appendingPathComponent("trm.sqlite").path
        let run = try CLI.run(
            ["run", "experiments/smoke.json", "--store", store, "--quiet", "--max-steps", "1"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        return try RunStore.openExisting(path: store).resolveRun("smoke").host
    }

    @Test func runsWithTheShortSpinUnlessTheUserSetsOne() throws {
        var environment = ProcessInfo.processInfo.environment
        environment[BLAS.workerSpinVariable] = nil
        let defaulted = try recordedHost(environment: environment)
        environment[BLAS.workerSpinVariable] = "24"
        let chosen = try recordedHost(environment: environment)
        #if os(Linux)
            #expect(defaulted.hasSuffix("; worker spin 2^\(BLAS.workerSpinLog2Cycles) cycles"), "\(defaulted)")
            #expect(chosen.hasSuffix("; worker spin 2^24 cycles"), "\(chosen)")
        #else
            #expect(!defaulted.contains("worker spin") && !chosen.contains("worker spin"))
        #endif
    }
}

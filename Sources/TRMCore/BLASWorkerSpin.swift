import Foundation

extension BLAS {
    /// The variable through which OpenBLAS learns, once when the library loads, how long its
    /// worker threads spin after a product before they sleep: 2^value cycles.
    public static let workerSpinVariable = "OPENBLAS_THREAD_TIMEOUT"

    /// How long (log₂ cycles) OpenBLAS's workers spin in trm-exp's processes unless the user says
    /// otherwise: 2²⁰ cycles, about 0.3 ms.
    ///
    /// OpenBLAS's default, 2²⁸ cycles (about 0.1 s), keeps its worker spinning long after every
    /// product, while our own workers run the elementwise kernels on the same two cores. Measured
    /// on 2 cores (medians of three benches): training of the small models runs 9–28 % faster at
    /// 20. Much shorter (4) makes every thin product of a single-puzzle solve wake a sleeping
    /// worker, which more than doubled the tiny model's latency in an A/B run. The Makefile gives
    /// the test process the same value (`TEST_WORKER_SPIN`); change both together.
    public static let workerSpinLog2Cycles = 20

    /// The environment to relaunch with, or nil when there is nothing to change: the user set the
    /// variable (their choice stands), or the BLAS library is not OpenBLAS.
    static func relaunchEnvironmentChange(_ environment: [String: String]) -> (name: String, value: String)? {
        #if canImport(Accelerate)
            return nil
        #else
            if environment[workerSpinVariable] != nil { return nil }
            return (workerSpinVariable, String(workerSpinLog2Cycles))
        #endif
    }

    /// Replaces the process by a fresh copy of itself with OpenBLAS's worker spin set to
    /// ``workerSpinLog2Cycles``, unless the user set it. Call first thing in `main`, before any
    /// work: OpenBLAS reads the variable only when it loads. The process keeps its id, arguments,
    /// open files and the rest of its environment; if the relaunch fails it simply goes on.
    public static func relaunchWithShortWorkerSpin() {
        #if os(Linux)
            guard let change = relaunchEnvironmentChange(ProcessInfo.processInfo.environment) else { return }
            setenv(change.name, change.value, 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
        #endif
    }

    /// The worker spin OpenBLAS runs with in this process, for provenance: nil when it was left to
    /// OpenBLAS's default or the library is not OpenBLAS.
    static var workerSpinDescription: String? {
        #if canImport(Accelerate)
            return nil
        #else
            return ProcessInfo.processInfo.environment[workerSpinVariable].map { "worker spin 2^\($0) cycles" }
        #endif
    }
}

import Testing

@testable import TRMCore

struct WorkerSpinTests {
    @Test func relaunchSetsTheSpinOnlyWhenTheUserDidNot() {
        #if canImport(Accelerate)
            #expect(BLAS.relaunchEnvironmentChange([:]) == nil)
        #else
            let change = BLAS.relaunchEnvironmentChange(["PATH": "/usr/bin"])
            #expect(change?.name == "OPENBLAS_THREAD_TIMEOUT" && change?.value == "20")
            // The relaunched process sees the variable and does not relaunch again.
            #expect(BLAS.relaunchEnvironmentChange(["OPENBLAS_THREAD_TIMEOUT": "20"]) == nil)
            #expect(BLAS.relaunchEnvironmentChange(["OPENBLAS_THREAD_TIMEOUT": "28"]) == nil)
        #endif
    }
}

import Foundation
import Testing

@testable import TRMCore

/// `trm-exp run` warns when the environment forces OpenBLAS kernels that leave the CPU's AVX-512 unused.
struct KernelFamilyWarningCLITests {
    @Test func runWarnsAboutForcedKernelsOnlyWhereAVX512IsLeftUnused() throws {
        #if os(Linux) && arch(x86_64)
            let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            let hasAVX512 = BLAS.avx512Flags.allSatisfy(BLAS.cpuFlags(cpuinfo: cpuinfo).contains)
            let store = try CLI.temporaryDirectory().appendingPathComponent("trm.sqlite").path
            var environment = ProcessInfo.processInfo.environment
            // Prescott's kernels (SSE3) run on every x86-64 CPU.
            environment[BLAS.coreTypeVariable] = "Prescott"
            let run = try CLI.run(
                ["run", "experiments/smoke.json", "--store", store, "--quiet", "--max-steps", "1"], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("OPENBLAS_CORETYPE=Prescott makes OpenBLAS run kernels without AVX-512") == hasAVX512, "\(run.stderr)")
        #endif
    }
}

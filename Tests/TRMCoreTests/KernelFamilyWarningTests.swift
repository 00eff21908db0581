import Testing

@testable import TRMCore

struct KernelFamilyWarningTests {
    static let avx512 = Set(BLAS.avx512Flags + ["avx2", "fma"])

    @Test func warnsOnlyWhenForcedKernelsLeaveAVX512Unused() throws {
        let forced = try #require(BLAS.coreTypeWarning(environment: ["OPENBLAS_CORETYPE": "Haswell"], cpuFlags: Self.avx512))
        #expect(forced.hasPrefix("OPENBLAS_CORETYPE=Haswell makes OpenBLAS run kernels without AVX-512"))
        #expect(forced.contains("env -u OPENBLAS_CORETYPE"))
        // OpenBLAS's own pick, a forced AVX-512 family (any case) and a CPU without AVX-512 are left alone.
        #expect(BLAS.coreTypeWarning(environment: [:], cpuFlags: Self.avx512) == nil)
        #expect(BLAS.coreTypeWarning(environment: ["OPENBLAS_CORETYPE": ""], cpuFlags: Self.avx512) == nil)
        #expect(BLAS.coreTypeWarning(environment: ["OPENBLAS_CORETYPE": "cooperlake"], cpuFlags: Self.avx512) == nil)
        #expect(BLAS.coreTypeWarning(environment: ["OPENBLAS_CORETYPE": "SkylakeX"], cpuFlags: Self.avx512) == nil)
        #expect(BLAS.coreTypeWarning(environment: ["OPENBLAS_CORETYPE": "Haswell"], cpuFlags: ["avx2", "fma", "avx512f"]) == nil)
    }

    @Test func cpuFlagsAreReadFromTheFirstProcessor() {
        let cpuinfo = """
            processor\t: 0
            model name\t: Some CPU
            flags\t\t: fpu sse2 avx2 avx512f avx512vl
            bugs\t\t: none

            processor\t: 1
            flags\t\t: fpu
            """
        #expect(BLAS.cpuFlags(cpuinfo: cpuinfo) == ["fpu", "sse2", "avx2", "avx512f", "avx512vl"])
        #expect(BLAS.cpuFlags(cpuinfo: "processor\t: 0\n").isEmpty)
    }
}

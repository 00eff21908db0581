import Foundation

extension BLAS {
    /// The variable through which the user forces OpenBLAS's kernel family instead of letting it
    /// pick one for the CPU, read once when the library loads.
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"

    /// The CPU flags that OpenBLAS's AVX-512 kernels need.
    static let avx512Flags = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

    /// OpenBLAS's kernel families that use AVX-512.
    static let avx512Families: Set = ["skylakex", "cooperlake", "sapphirerapids"]

    /// A warning when the environment forces kernels without AVX-512 on a CPU that has it, or nil.
    ///
    /// The forced family is kept (it may be chosen on purpose, for instance to compare kernels),
    /// but it costs much: with `OPENBLAS_CORETYPE=Haswell` on a CPU with AVX-512 the maze recipe
    /// trained at 768 examples/s on 2 cores, against 1,134 with OpenBLAS's own pick (Cooperlake).
    static func coreTypeWarning(environment: [String: String], cpuFlags: Set<String>) -> String? {
        guard let forced = environment[coreTypeVariable], !forced.isEmpty,
            !avx512Families.contains(forced.lowercased()),
            avx512Flags.allSatisfy(cpuFlags.contains)
        else { return nil }
        return "\(coreTypeVariable)=\(forced) makes OpenBLAS run kernels without AVX-512 on a CPU that has it; "
            + "with them training ran up to 1.55x slower on 2 cores. Unset it (`env -u \(coreTypeVariable) trm-exp …`) "
            + "to let OpenBLAS pick its kernels for this CPU."
    }

    /// The flags of the first processor in a `/proc/cpuinfo` text (empty when it has none).
    static func cpuFlags(cpuinfo: String) -> Set<String> {
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "flags" else { continue }
            return Set(parts[1].split(separator: " ").map(String.init))
        }
        return []
    }

    /// ``coreTypeWarning(environment:cpuFlags:)`` for this process and CPU; nil off Linux (where
    /// the products go through Accelerate) or when the CPU's flags cannot be read.
    public static var kernelFamilyWarning: String? {
        #if os(Linux)
            guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
            return coreTypeWarning(environment: ProcessInfo.processInfo.environment, cpuFlags: cpuFlags(cpuinfo: cpuinfo))
        #else
            return nil
        #endif
    }
}

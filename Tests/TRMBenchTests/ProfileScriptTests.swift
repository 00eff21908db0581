import Foundation
import Testing

/// scripts/profile.py (behind `make profile`) on a canned `perf report`: every symbol lands in
/// its category, in each of the layouts perf prints.
@Suite struct ProfileScriptTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/profile.py")

    /// (samples, kernel?, symbol, expected category); 1000 samples in all.
    static let symbols: [(Int, Bool, String, String)] = [
        (400, false, "sgemm_kernel_HASWELL", "sgemm compute kernel"),
        (60, false, "sgemm_itcopy_HASWELL", "sgemm packing/copy"),
        (40, false, "sgemm_oncopy_HASWELL", "sgemm packing/copy"),
        (50, false, "sgemm_beta_HASWELL", "sgemm beta (C scaling)"),
        (80, false, "$s7TRMCore8SiLUGateO7forward4gate2up3out5countySPySfG_AISpySfGSitFZySnySiGXEfU_", "SiLU gate"),
        (30, false, "$s7TRMCore7RMSNormO11forwardRows__6invRMS4rows4cols3epsySPySfG_SpySfGAJS2iSftFZ", "RMSNorm"),
        (20, false, "$s7TRMCore7SoftmaxO11forwardRows_4rows4colsySpySfG_S2itFZ", "softmax"),
        (10, false, "$s7TRMCore11RotaryTableV5apply_4rows6stride7inverseySpySfG_S2iSbtF", "RoPE"),
        (15, false, "$s8TRMModel13AdamOptimizerC6update10parameters9gradients2lry7TRMCore11FloatBufferC_AIsdtF", "optimizer (Adam-atan2, sign SGD)"),
        (5, false, "__atan2f_finite@GLIBC_2.15", "optimizer (Adam-atan2, sign SGD)"),
        (30, true, "do_sched_yield", "idle worker spin"),
        (10, false, "__sched_yield", "idle worker spin"),
        (10, true, "__schedule", "idle worker spin"),
        (25, false, "__memmove_avx512_unaligned_erms", "memory copies (memmove/memset/memcpy)"),
        (15, false, "__memset_avx2_unaligned_erms", "memory copies (memmove/memset/memcpy)"),
        (85, true, "clear_page_erms", "page faults and other kernel"),
        (10, true, "exc_page_fault", "page faults and other kernel"),
        (5, true, "_copy_to_user", "page faults and other kernel"),
        (60, false, "swift_retain", "other"),
        (40, false, "0x00007f0000001234", "other"),
    ]

    static let header = """
        # To display the perf.data header info, please use --header/--header-only options.
        #
        # Samples: 1K of event 'cpu-clock'
        # Event count (approx.): 1000000000
        #

        """

    /// `perf report -F overhead,sample,sym`: space-aligned columns, IPC columns after the symbol.
    static var columns: String {
        header
            + symbols.map { n, kernel, symbol, _ in
                String(format: "    %5.2f%%  %12d  [%@] %@                     -      -            ", Double(n) / 10, n, kernel ? "k" : ".", symbol)
            }.joined(separator: "\n")
    }

    private func run(_ report: String) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "--json", "--no-demangle", "-"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(report.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "profile.py failed: \(message)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Expected samples per category, summed from the table above.
    private var expected: [String: Double] {
        Self.symbols.reduce(into: [:]) { $0[$1.3, default: 0] += Double($1.0) }
    }

    private func check(_ result: [String: Any], total: Double) throws {
        #expect(result["total"] as? Double == total)
        let categories = try #require(result["categories"] as? [String: [String: Double]])
        for (name, entry) in categories {
            let samples = expected[name] ?? 0
            #expect(entry["samples"] == samples * total / 1000, "\(name)")
            #expect(abs(entry["share"]! - samples / 1000) < 1e-9, "\(name)")
        }
        #expect(Set(categories.keys).isSuperset(of: expected.keys))
    }

    @Test func groupsTheColumnLayout() throws {
        let result = try run(Self.columns)
        try check(result, total: 1000)
        let top = try #require(result["top"] as? [[String: Any]])
        #expect(top.count == 15)
        #expect(top.first?["symbol"] as? String == "sgemm_kernel_HASWELL")
        #expect(top.first?["samples"] as? Double == 400)
        #expect(top.contains { $0["symbol"] as? String == "clear_page_erms" && $0["mode"] as? String == "kernel" })
    }

    /// `-F sample,sym -t '\t'`: tab-separated, no percentages.
    @Test func groupsTheTabSeparatedLayout() throws {
        let report =
            Self.header
            + Self.symbols.map { n, kernel, symbol, _ in "\(n)\t[\(kernel ? "k" : ".")] \(symbol)   \t-      -   " }.joined(separator: "\n")
        try check(try run(report), total: 1000)
    }

    /// Without a Samples column the weights are perf's percentages, and the shares are the same.
    @Test func groupsPercentagesWithoutSampleCounts() throws {
        let report =
            Self.header
            + Self.symbols.map { n, kernel, symbol, _ in
                String(format: "    %5.2f%%  [%@] %@", Double(n) / 10, kernel ? "k" : ".", symbol)
            }.joined(separator: "\n")
        try check(try run(report), total: 100)
    }

    @Test func failsOnAReportWithoutSamples() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "/dev/null"]
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
    }
}

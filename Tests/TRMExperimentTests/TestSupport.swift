import Foundation

@testable import TRMExperiment

/// A fresh directory removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("trm-exp-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A resolved minimal config named `name`.
func experiment(_ name: String, overrides: [String] = []) throws -> ResolvedExperiment {
    try ExperimentConfig.resolve(Data(#"{"name": "\#(name)", "dataset": {"kind": "sudoku"}}"#.utf8), overrides: overrides)
}

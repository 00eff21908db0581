import Foundation

/// Locates the shared real-data samples: `TRM_DATASETS_DIR`, else `<repo root>/../shared/datasets`.
enum TestData {
    static var directory: URL {
        if let env = ProcessInfo.processInfo.environment["TRM_DATASETS_DIR"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        // #filePath = <repo>/Tests/TRMDataTests/TestSupport.swift
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/datasets")
    }
    static var sudokuSample: URL { directory.appendingPathComponent("sudoku-extreme-sample.csv") }
    static var mazeSample: URL { directory.appendingPathComponent("maze-hard-sample.csv") }
    static var arcDirectory: URL { directory.appendingPathComponent("arc") }

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("trmdata-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

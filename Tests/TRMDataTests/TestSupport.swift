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

    /// The folder holding every test's temporary directory; entries older than an hour (left by
    /// earlier runs) are removed the first time it is used.
    static let scratchRoot: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("trmdata-tests")
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] {
            let url = root.appendingPathComponent(name)
            if let date = (try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
                date < Date().addingTimeInterval(-3600)
            {
                try? fm.removeItem(at: url)
            }
        }
        return root
    }()

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() -> URL {
        let url = scratchRoot.appendingPathComponent(UUID().uuidString)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

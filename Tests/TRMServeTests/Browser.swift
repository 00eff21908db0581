import Foundation

/// Headless Chromium (Debian package `chromium`, which `make test` installs): loads a page, runs
/// its scripts, and returns the resulting DOM or writes a screenshot.
enum Browser {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// `$CHROMIUM`, else the first of chromium, chromium-browser, google-chrome on the PATH.
    static var executable: String? {
        if let path = ProcessInfo.processInfo.environment["CHROMIUM"] { return path }
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") { return "\(folder)/\(name)" }
        }
        return nil
    }

    /// Where screenshots go, for a person to look at after `make test`.
    static let screenshots = Fixture.repository.appendingPathComponent(".build/web-screenshots")

    /// The DOM after the page's scripts ran (and its requests were answered).
    static func dom(_ url: URL) async throws -> String {
        try await onOwnThread { try run(["--dump-dom", url.absoluteString]) }
    }

    /// Writes `<name>.png` of the page into `screenshots` and returns its location.
    @discardableResult
    static func screenshot(_ url: URL, name: String, height: Int = 1600) async throws -> URL {
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let file = screenshots.appendingPathComponent("\(name).png")
        try? FileManager.default.removeItem(at: file)
        // On a heavily loaded machine Chromium occasionally exits without writing the image; a
        // second attempt tells that apart from a page that never renders.
        for _ in 0..<2 {
            _ = try await onOwnThread {
                try run(["--screenshot=\(file.path)", "--window-size=1200,\(height)", "--hide-scrollbars", url.absoluteString])
            }
            if FileManager.default.fileExists(atPath: file.path) { return file }
        }
        throw Failure(description: "chromium wrote no screenshot \(file.path) in two attempts")
    }

    private static func run(_ arguments: [String]) throws -> String {
        guard let executable else {
            throw Failure(description: "headless Chromium is needed: `make test` installs the Debian package chromium (or set CHROMIUM)")
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("trm-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // Virtual time lets the page's fetches and timers settle before the DOM is taken.
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--mute-audio",
                "--user-data-dir=\(profile.path)", "--virtual-time-budget=5000",
            ] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A hung browser must not hang the suite.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "chromium exited with \(process.terminationStatus) for \(arguments.joined(separator: " "))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

import Foundation
import TRMExperiment
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `trm-exp serve` as a user starts it: it refuses a missing store, prints its address, answers
/// the API, and stops cleanly on SIGTERM.
@Suite struct ServeCommandTests {
    @Test func refusesAMissingStore() throws {
        let folder = try CLI.temporaryDirectory()
        let missing = folder.appendingPathComponent("none.sqlite").path
        let result = try CLI.run(["serve", "--store", missing, "--port", "0"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no run store at \(missing)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing), "serving never creates a store")
        let badPort = try CLI.run(["serve", "--port", "70000"])
        #expect(badPort.status != 0 && badPort.stderr.contains("--port 70000 is out of range"))
    }

    @Test func servesTheStoreUntilTerminated() async throws {
        let folder = try CLI.temporaryDirectory()
        let path = folder.appendingPathComponent("trm.sqlite").path
        let store = try RunStore(path: path)
        let config = try ExperimentConfig.load(
            contentsOf: CLI.repository.appendingPathComponent("experiments/smoke.json"), overrides: ["name=served"])
        let run = try store.createRun(for: config)

        let (process, out, _) = try CLI.start(["serve", "--store", path, "--port", "0"])
        defer { if process.isRunning { process.terminate() } }
        // The first line says where it listens; the port is the one the system chose.
        var printed = Data()
        let deadline = Date().addingTimeInterval(120)
        while !printed.contains(UInt8(ascii: "\n")) && Date() < deadline && process.isRunning {
            printed.append(out.fileHandleForReading.availableData)
        }
        let line = String(decoding: printed, as: UTF8.self)
        let address = try #require(line.firstMatch(of: /http:\/\/127\.0\.0\.1:(\d+)\//), "\(line)")
        #expect(line.contains("store \(path)"))
        let port = try #require(Int(address.1))

        let url = URL(string: "http://127.0.0.1:\(port)/api/runs")!
        let (data, _) = try await URLSession.shared.data(from: url)
        let runs = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["runs"] as? [[String: Any]])
        #expect(runs.count == 1 && runs[0]["id"] as? String == run.id && runs[0]["status"] as? String == "running")

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "SIGTERM stops the server gracefully")
    }
}

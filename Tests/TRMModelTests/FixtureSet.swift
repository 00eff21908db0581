import Foundation
import TRMCore
import Testing

@testable import TRMModel

/// One folder of reference tensors (layout described by the folder's README): its manifest, the
/// model config and batch size derived from it, and its safetensors files.
struct FixtureSet: CustomStringConvertible, Sendable {
    let directory: URL
    let name: String
    let config: TRMConfig
    let batchSize: Int
    let manifestData: Data

    var description: String { name }

    /// The fixture root: `TRM_FIXTURES_DIR`, or `../shared/fixtures/trm-reference` beside the repository.
    static var root: URL {
        if let path = ProcessInfo.processInfo.environment["TRM_FIXTURES_DIR"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repository.deletingLastPathComponent().appendingPathComponent("shared/fixtures/trm-reference")
    }

    /// Every folder under the root that holds a `manifest.json`, sorted by name.
    static func all() -> [FixtureSet] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().compactMap { name in
            let directory = root.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("manifest.json").path) else { return nil }
            do { return try FixtureSet(directory: directory) } catch {
                Issue.record("fixture \(name) could not be read: \(error)")
                return nil
            }
        }
    }

    init(directory: URL) throws {
        self.directory = directory
        name = directory.lastPathComponent
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        guard let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let modelConfig = manifest["model_config"] as? [String: Any]
        else { throw SafeTensorsError("\(name)/manifest.json has no model_config object") }
        manifestData = data
        config = try JSONDecoder().decode(TRMConfig.self, from: JSONSerialization.data(withJSONObject: modelConfig))
        guard let size = (manifest["batch_size"] as? Int) ?? (modelConfig["batch_size"] as? Int), size > 0 else {
            throw SafeTensorsError("\(name)/manifest.json has no positive batch_size")
        }
        batchSize = size
    }

    func file(_ name: String) throws -> SafeTensors {
        try SafeTensors(contentsOf: directory.appendingPathComponent(name))
    }

    /// A value from the manifest by path, e.g. `["tolerances_recommended", "forward", "atol"]`.
    func value(_ path: [String]) -> Any? {
        var current: Any? = try? JSONSerialization.jsonObject(with: manifestData)
        for key in path {
            if let dictionary = current as? [String: Any] { current = dictionary[key] } else { return nil }
        }
        return current
    }

    func double(_ path: [String]) -> Double? { (value(path) as? NSNumber)?.doubleValue }

    /// A number the manifest must give (a tolerance, a learning rate): a fixture set without it is
    /// refused rather than checked against a guessed default.
    func required(_ path: [String]) throws -> Double {
        guard let number = double(path) else { throw SafeTensorsError("\(name)/manifest.json has no number at \(path.joined(separator: "."))") }
        return number
    }

    /// The tensor names the manifest lists for one file (`files.<file>.tensors`), sorted.
    func tensorNames(in file: String) -> [String] {
        ((value(["files", file, "tensors"]) as? [String: Any])?.keys).map { $0.sorted() } ?? []
    }

    /// Scalars recorded for a phase, e.g. `train_step1_stablemax` or eval step k / loss kind.
    func scalars(_ path: [String]) -> [String: Double] {
        guard let dictionary = value(path) as? [String: Any] else { return [:] }
        return dictionary.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }

    func evalScalars(step: Int, loss: LossKind) -> [String: Double] {
        guard let steps = value(["scalars", "eval"]) as? [[String: Any]],
            let entry = steps.first(where: { ($0["step"] as? Int) == step }),
            let values = entry[loss.rawValue] as? [String: Any]
        else { return [:] }
        return values.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }

    // MARK: Building the model

    /// Parameters loaded from `weights.safetensors`.
    func loadParameters() throws -> ModelParameters {
        let parameters = ModelParameters(config: config)
        try StateDict.load(try file("weights.safetensors"), into: parameters)
        return parameters
    }

    /// A batch from `inputs.safetensors` (`""` for the first, `"batch2."` for the second).
    func batch(_ prefix: String = "") throws -> TokenBatch {
        let file = try file("inputs.safetensors")
        return TokenBatch(
            inputs: try file.intTensor(prefix + "inputs").scalars.map { Int32($0) },
            labels: try file.intTensor(prefix + "labels").scalars.map { Int32($0) },
            puzzleIdentifiers: try file.intTensor(prefix + "puzzle_identifiers").scalars.map { Int32($0) })
    }
}

/// Tolerance checks that report where and by how much a tensor differs.
enum Compare {
    /// `|a − e| ≤ atol + rtol·|e|` elementwise.
    static func close(
        _ actual: [Float], _ expected: Tensor, atol: Double, rtol: Double, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard actual.count == expected.count else {
            Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
            return
        }
        var worst = 0.0
        var worstIndex = -1
        for i in 0..<actual.count {
            let a = Double(actual[i])
            let e = Double(expected.scalars[i])
            let excess = abs(a - e) - (atol + rtol * abs(e))
            if !(excess <= 0) && (worstIndex < 0 || excess > worst || excess.isNaN) {
                worst = excess
                worstIndex = i
            }
        }
        if worstIndex >= 0 {
            Issue.record(
                "\(what): index \(worstIndex) is \(actual[worstIndex]), expected \(expected.scalars[worstIndex]) (atol \(atol), rtol \(rtol))",
                sourceLocation: sourceLocation)
        }
    }

    /// Gradient tolerance: `|a − e| ≤ rtol·|e| + atolRel·max|e|`.
    static func gradient(
        _ actual: [Float], _ expected: Tensor, rtol: Double, atolRelativeToMax: Double, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let maximum = expected.scalars.map { Double(abs($0)) }.max() ?? 0
        close(actual, expected, atol: atolRelativeToMax * maximum, rtol: rtol, what, sourceLocation: sourceLocation)
    }

    static func scalar(
        _ actual: Double, _ expected: Double?, atol: Double, rtol: Double, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let expected else {
            Issue.record("\(what): no reference value in the manifest", sourceLocation: sourceLocation)
            return
        }
        #expect(abs(actual - expected) <= atol + rtol * abs(expected), "\(what): \(actual), expected \(expected)", sourceLocation: sourceLocation)
    }
}

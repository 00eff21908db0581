import Foundation
import TRMCore
import Testing

@testable import TRMExperiment

/// The reference fixture folders (`TRM_FIXTURES_DIR`, or `../shared/fixtures/trm-reference`
/// beside the repository), each with a `manifest.json` and the reference's `weights.safetensors`.
private let fixtureFolders: [URL] = {
    let root: URL
    if let path = ProcessInfo.processInfo.environment["TRM_FIXTURES_DIR"], !path.isEmpty {
        root = URL(fileURLWithPath: path)
    } else {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        root = repository.deletingLastPathComponent().appendingPathComponent("shared/fixtures/trm-reference")
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    return names.sorted().map { root.appendingPathComponent($0) }
        .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("manifest.json").path) }
}()

@Suite struct ReferenceExportTests {
    /// Importing the reference's own state_dict and exporting it again gives back exactly its
    /// tensors, and the sidecar equals the reference's arch config, so the official model builds
    /// from it and loads the export strictly.
    @Test(.enabled(if: !fixtureFolders.isEmpty, "no reference fixtures found; set TRM_FIXTURES_DIR"), arguments: fixtureFolders)
    func referenceStateDictSurvivesImportAndExport(folder: URL) throws {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as! [String: Any]
        let archConfig = try #require(manifest["model_config"] as? [String: Any])
        let directory = try TemporaryDirectory()
        let configURL = directory.path("arch.json")
        try JSONSerialization.data(withJSONObject: archConfig).write(to: configURL)
        let store = try RunStore(path: directory.path("trm.sqlite").path)
        let weightsURL = folder.appendingPathComponent("weights.safetensors")
        try WeightsImport.importWeights(file: weightsURL, config: configURL, name: "reference", store: store)

        let out = directory.path("export.safetensors")
        try WeightsExport.export(run: "reference", store: store, options: .init(), to: out)
        let reference = try SafeTensors(contentsOf: weightsURL), exported = try SafeTensors(contentsOf: out)
        #expect(Set(exported.names) == Set(reference.names))
        for name in reference.names {
            #expect(exported.entry(name)?.dtype == .f32 && exported.entry(name)?.shape == reference.entry(name)?.shape, "\(name)")
            #expect(try exported.tensor(name) == reference.tensor(name), "\(name)")
        }

        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: WeightsExport.configURL(for: out))) as! [String: Any]
        #expect(Set(sidecar.keys) == Set(archConfig.keys))
        for (key, value) in archConfig {
            if let number = value as? NSNumber, !(value is String) {
                #expect((sidecar[key] as? NSNumber)?.doubleValue == number.doubleValue, "\(key)")
            } else {
                #expect(sidecar[key] as? String == value as? String, "\(key)")
            }
        }
    }
}

import Foundation
import TRMCore
import TRMModel
import Testing

@testable import TRMExperiment

/// A tiny model with a puzzle table, so every kind of state_dict entry is present.
private func tinyConfig() -> TRMConfig {
    var config = TRMConfig(seq_len: 4, vocab_size: 5)
    config.hidden_size = 8
    config.num_heads = 2
    config.L_layers = 1
    config.expansion = 2
    config.puzzle_emb_ndim = 8
    config.puzzle_emb_len = 1
    config.num_puzzle_identifiers = 3
    return config
}

/// A store with one run whose checkpoint follows the run checkpoint layout: model tensors, EMA
/// copies, optimiser state and metadata.
private struct TrainedRun {
    let store: RunStore
    let run: RunRecord
    let parameters: ModelParameters
    let ema: ModelParameters

    init(directory: TemporaryDirectory, ema withEMA: Bool = true) throws {
        store = try RunStore(path: directory.path("trm.sqlite").path)
        run = try store.createRun(for: try experiment("tiny", overrides: ["training.batch_size=32"]), datasetDigest: "d1g35t")
        parameters = ModelParameters(config: tinyConfig(), seed: 7)
        for i in 0..<parameters.puzzleTable.count { parameters.puzzleTable[i] = Float(i) * 0.01 }
        ema = parameters.copy()
        for i in 0..<ema.values.count { ema.values[i] = ema.values[i] * 0.5 + 0.25 }
        var writer = try RunCheckpointLayout.writer(
            for: parameters,
            metadata: [
                RunCheckpointLayout.runIDKey: run.id, RunCheckpointLayout.stepKey: "40",
                RunCheckpointLayout.configHashKey: run.config_hash, RunCheckpointLayout.datasetDigestKey: "d1g35t",
                RunCheckpointLayout.versionKey: TRMExperiment.version,
            ])
        if withEMA {
            for entry in ema.layout.entries {
                writer.add(
                    RunCheckpointLayout.emaPrefix + entry.name,
                    Tensor(shape: entry.shape, scalars: Array(UnsafeBufferPointer(start: ema.values.pointer + entry.offset, count: entry.count))))
            }
        }
        writer.add("state.adam.m", Tensor(shape: [3], scalars: [1, 2, 3]))
        for step in [20, 40] {
            let info = try CheckpointFile.write(writer, to: CheckpointFile.url(in: store.runDirectory(for: run.id), step: step))
            try store.recordCheckpoint(
                CheckpointRecord(run_id: run.id, step: step, path: info.path, bytes: info.bytes, sha256: info.sha256, is_best: step == 20))
        }
    }
}

/// Every persistent value of a model, in reference order.
private func weights(_ parameters: ModelParameters) -> [String: Tensor] {
    Dictionary(uniqueKeysWithValues: StateDict.tensors(of: parameters))
}

private func bf16(_ tensor: Tensor) -> Tensor {
    Tensor(shape: tensor.shape, scalars: tensor.scalars.map { HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(from: $0)) })
}

@Suite struct ExportTests {
    @Test func exportWritesReferenceNamesDtypesMetadataAndArchConfig() throws {
        let directory = try TemporaryDirectory()
        let trained = try TrainedRun(directory: directory)
        let url = directory.path("tiny.safetensors")
        let result = try WeightsExport.export(run: "tiny", store: trained.store, options: .init(), to: url)
        #expect(result.step == 40)
        let file = try SafeTensors(contentsOf: url)
        let expectedNames = StateDict.tensors(of: trained.parameters).map(\.0)
        #expect(file.names == expectedNames)
        #expect(expectedNames.first == "inner.H_init" && expectedNames.contains("inner.puzzle_emb.weights"))
        #expect(file.names.allSatisfy { file.entry($0)?.dtype == .f32 })
        for (name, tensor) in weights(trained.parameters) { #expect(try file.tensor(name) == tensor, "\(name)") }
        #expect(file.metadata["trm.run_id"] == trained.run.id && file.metadata["trm.step"] == "40")
        #expect(file.metadata["trm.config_hash"] == trained.run.config_hash && file.metadata["trm.dataset_digest"] == "d1g35t")
        #expect(try RunCheckpointLayout.modelConfig(of: file, source: "export") == tinyConfig())

        let arch = try JSONSerialization.jsonObject(with: Data(contentsOf: WeightsExport.configURL(for: url))) as! [String: Any]
        #expect(arch["batch_size"] as? Int == 32 && arch["H_layers"] as? Int == 0 && arch["forward_dtype"] as? String == "float32")
        #expect(arch["hidden_size"] as? Int == 8 && arch["pos_encodings"] as? String == "rope" && arch["mlp_t"] as? Bool == false)
        let ours = Set(["swiglu_multiple"])
        #expect(Set(arch.keys) == Set(TRMConfig.fieldNames + ["batch_size", "forward_dtype", "H_layers"]).subtracting(ours))
        #expect(result.config == tinyConfig() && WeightsExport.referenceCaveat(for: result.config) == nil)
    }

    /// The reference builds SwiGLU widths as multiples of 256 only, so an export of a model with
    /// another multiple keeps the multiple in its arch config and says what to change there.
    @Test func anotherSwiGLUMultipleComesWithACaveat() throws {
        var config = tinyConfig()
        config.swiglu_multiple = 32
        let caveat = WeightsExport.referenceCaveat(for: config)
        #expect(caveat?.contains("swiglu_multiple is 32") == true && caveat?.contains("256 changed to 32") == true)
        let arch = try JSONSerialization.jsonObject(with: WeightsExport.archConfigJSON(config, batchSize: 8, forwardDtype: "float32"))
        #expect((arch as? [String: Any])?["swiglu_multiple"] as? Int == 32)
    }

    @Test func emaReplacesParametersButNotBuffers() throws {
        let directory = try TemporaryDirectory()
        let trained = try TrainedRun(directory: directory)
        let url = directory.path("ema.safetensors")
        var options = WeightsExport.Options()
        options.ema = true
        options.checkpoint = .best
        #expect(try WeightsExport.export(run: trained.run.id, store: trained.store, options: options, to: url).step == 20)
        let file = try SafeTensors(contentsOf: url)
        let expected = trained.ema.copy()
        // Buffers are the live ones.
        expected.puzzleTable.copy(from: trained.parameters.puzzleTable.array)
        for (name, tensor) in weights(expected) { #expect(try file.tensor(name) == tensor, "\(name)") }
        #expect(!file.names.contains { $0.hasPrefix("ema.") || $0.hasPrefix("state.") })

        let otherDirectory = try TemporaryDirectory()
        let plain = try TrainedRun(directory: otherDirectory, ema: false)
        let error = #expect(throws: CheckpointError.self) {
            try WeightsExport.export(run: plain.run.id, store: plain.store, options: options, to: url)
        }
        #expect(error?.description.contains("drop --ema") == true)
        options.checkpoint = .step(30)
        let missing = #expect(throws: CheckpointError.self) {
            try WeightsExport.export(run: trained.run.id, store: trained.store, options: options, to: url)
        }
        #expect(missing?.description.contains("20, 40") == true)
    }

    @Test func exportImportRoundTripIsExact() throws {
        let directory = try TemporaryDirectory()
        let trained = try TrainedRun(directory: directory)
        let url = directory.path("tiny.safetensors")
        try WeightsExport.export(run: "tiny", store: trained.store, options: .init(), to: url)
        let imported = try WeightsImport.importWeights(file: url, config: WeightsExport.configURL(for: url), name: "back", store: trained.store)
        #expect(imported.run.status == .finished && imported.run.name == "back" && imported.checkpoint.step == 40)
        #expect(try trained.store.params(run: imported.run.id)["imported.origin_run"] == "\"\(trained.run.id)\"")
        #expect(try trained.store.params(run: imported.run.id)["model.num_parameters"] == String(trained.parameters.parameterCount))
        #expect(try trained.store.params(run: imported.run.id)["training.batch_size"] == "32")
        let file = try CheckpointFile.read(from: URL(fileURLWithPath: imported.checkpoint.path), expectedSHA256: imported.checkpoint.sha256)
        let loaded = try RunCheckpointLayout.parameters(from: file, config: tinyConfig(), ema: false, source: "import")
        #expect(weights(loaded) == weights(trained.parameters))

        // And out again: the same bytes of tensors.
        let again = directory.path("again.safetensors")
        try WeightsExport.export(run: "back", store: trained.store, options: .init(), to: again)
        let first = try SafeTensors(contentsOf: url), second = try SafeTensors(contentsOf: again)
        #expect(first.names == second.names)
        for name in first.names { #expect(try first.tensor(name) == second.tensor(name)) }
    }

    @Test func officialStyleBF16WithPrefixImports() throws {
        let directory = try TemporaryDirectory()
        let trained = try TrainedRun(directory: directory)
        let url = directory.path("official.safetensors")
        var options = WeightsExport.Options()
        options.dtype = .bf16
        options.keyPrefix = "_orig_mod.model."
        try WeightsExport.export(run: "tiny", store: trained.store, options: options, to: url)
        let file = try SafeTensors(contentsOf: url)
        #expect(file.names.allSatisfy { $0.hasPrefix("_orig_mod.model.inner.") && file.entry($0)?.dtype == .bf16 })

        // A bare config (no trm metadata needed) and the prefix are understood.
        let configURL = directory.path("arch.json")
        try JSONEncoder().encode(tinyConfig()).write(to: configURL)
        let imported = try WeightsImport.importWeights(file: url, config: configURL, name: nil, store: trained.store)
        #expect(imported.prefix == "_orig_mod.model." && imported.run.name == "official")
        let checkpoint = try CheckpointFile.read(from: URL(fileURLWithPath: imported.checkpoint.path))
        let loaded = try RunCheckpointLayout.parameters(from: checkpoint, config: tinyConfig(), ema: false, source: "import")
        #expect(weights(loaded) == weights(trained.parameters).mapValues(bf16))

        var wrong = tinyConfig()
        wrong.hidden_size = 16
        try JSONEncoder().encode(wrong).write(to: configURL)
        let error = #expect(throws: CheckpointError.self) {
            try WeightsImport.importWeights(file: url, config: configURL, name: nil, store: trained.store)
        }
        #expect(error?.description.contains("does not match the model config") == true)
    }

    /// Reads the export with an independent parser (a few lines of standard-library Python) and compares names,
    /// shapes, dtypes and checksums with what was written.
    @Test func independentPythonReaderAgrees() throws {
        let directory = try TemporaryDirectory()
        let trained = try TrainedRun(directory: directory)
        for dtype in ExportDType.allCases {
            let url = directory.path("py-\(dtype.rawValue).safetensors")
            var options = WeightsExport.Options()
            options.dtype = dtype
            try WeightsExport.export(run: "tiny", store: trained.store, options: options, to: url)
            let output = try PythonReader.read(url)
            let names = output["names"] as! [String]
            #expect(names == StateDict.tensors(of: trained.parameters).map(\.0))
            let metadata = output["metadata"] as! [String: String]
            #expect(metadata["trm.run_id"] == trained.run.id)
            let tensors = output["tensors"] as! [String: [String: Any]]
            for (name, tensor) in StateDict.tensors(of: trained.parameters) {
                let item = try #require(tensors[name])
                #expect(item["dtype"] as? String == dtype.rawValue.uppercased())
                #expect(item["shape"] as? [Int] == tensor.shape)
                let stored = dtype == .f32 ? tensor : bf16(tensor)
                let sum = stored.scalars.reduce(0.0) { $0 + Double($1) }
                let absSum = stored.scalars.reduce(0.0) { $0 + abs(Double($1)) }
                #expect(abs((item["sum"] as! Double) - sum) <= 1e-9 * max(1, absSum), "\(name)")
                // Compared as float32: the JSON text round trip may blur the last double digits.
                #expect((item["first"] as? Double).map(Float.init) == stored.scalars[0], "\(name)")
            }
        }
    }
}

/// Runs a small Python script that parses a safetensors file on its own.
private enum PythonReader {
    /// Standard-library Python only, so the check runs wherever `python3` does.
    static let script = #"""
        import json, math, struct, sys
        data = open(sys.argv[1], "rb").read()
        (n,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8:8 + n])
        body = data[8 + n:]
        meta = header.pop("__metadata__", {})
        names = sorted(header, key=lambda k: header[k]["data_offsets"][0])
        out = {}
        for name in names:
            e = header[name]
            a, b = e["data_offsets"]
            raw = body[a:b]
            if e["dtype"] == "F32":
                count = len(raw) // 4
                v = struct.unpack("<%df" % count, raw)
            elif e["dtype"] == "BF16":
                count = len(raw) // 2
                high = struct.unpack("<%dH" % count, raw)
                v = struct.unpack("<%df" % count, struct.pack("<%dI" % count, *[h << 16 for h in high]))
            else:
                raise SystemExit("unexpected dtype " + e["dtype"])
            assert len(v) == math.prod(e["shape"]), name
            out[name] = {"dtype": e["dtype"], "shape": e["shape"], "sum": sum(v), "first": v[0]}
        print(json.dumps({"names": names, "metadata": meta, "tensors": out}))
        """#

    static func read(_ url: URL) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, url.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CheckpointError("python3 reader failed: \(String(decoding: message, as: UTF8.self))")
        }
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}

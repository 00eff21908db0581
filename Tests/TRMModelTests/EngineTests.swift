import Foundation
import TRMCore
import Testing

@testable import TRMModel

@Suite struct EngineTests {
    /// JSON with only the two required sizes takes every other field's default from the spec's
    /// table (§2.1: class default, else `config/arch/trm.yaml`; num_puzzle_identifiers 1 as in the
    /// Sudoku and Maze metadata); the expected table must name every field, so a new field cannot
    /// go unchecked. Then a config with the variant's fields set decodes and round-trips, and an
    /// unknown position encoding is refused.
    @Test func configDecodesReferenceNamesWithDefaults() throws {
        let minimal = try JSONDecoder().decode(TRMConfig.self, from: Data(#"{"seq_len": 81, "vocab_size": 11}"#.utf8))
        let expected: [String: Any] = [
            "seq_len": 81, "vocab_size": 11, "hidden_size": 512, "expansion": 4.0, "swiglu_multiple": 256, "num_heads": 8, "L_layers": 2,
            "H_cycles": 3,
            "L_cycles": 6, "pos_encodings": "rope", "mlp_t": false, "puzzle_emb_ndim": 0, "puzzle_emb_len": 16,
            "num_puzzle_identifiers": 1, "halt_max_steps": 16, "halt_exploration_prob": 0.1, "rms_norm_eps": 1e-5,
            "rope_theta": 10000.0, "no_ACT_continue": true,
        ]
        #expect(Set(expected.keys) == Set(TRMConfig.fieldNames))
        let encoded = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(minimal)) as? [String: Any])
        #expect(Set(encoded.keys) == Set(TRMConfig.fieldNames))
        for name in TRMConfig.fieldNames {
            let actual = encoded[name]
            switch expected[name] {
            case let value as Bool: #expect(actual as? Bool == value, "\(name)")
            case let value as Int: #expect((actual as? NSNumber)?.doubleValue == Double(value), "\(name)")
            case let value as Double: #expect((actual as? NSNumber)?.doubleValue == value, "\(name)")
            case let value as String: #expect(actual as? String == value, "\(name)")
            default: Issue.record("\(name) has no expected default")
            }
        }
        // The reference's own defaults have no puzzle embedding but 16 prefix slots, which it cannot run.
        #expect(throws: TRMConfigError.self) { try minimal.validate() }

        let json = #"{"seq_len": 81, "vocab_size": 11, "mlp_t": true, "pos_encodings": "none", "H_cycles": 3, "L_cycles": 6, "puzzle_emb_ndim": 512}"#
        let c = try JSONDecoder().decode(TRMConfig.self, from: Data(json.utf8))
        #expect(c.hidden_size == 512 && c.num_heads == 8 && c.L_layers == 2 && c.halt_max_steps == 16)
        #expect(c.puzzle_emb_len == 16 && c.expansion == 4 && c.rms_norm_eps == 1e-5 && c.no_ACT_continue)
        #expect(c.totalLength == 97 && c.tokenMLPWidth == 512 && c.channelMLPWidth == 1536)
        let roundTrip = try JSONDecoder().decode(TRMConfig.self, from: JSONEncoder().encode(c))
        #expect(roundTrip == c)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TRMConfig.self, from: Data(#"{"seq_len": 9, "vocab_size": 5, "pos_encodings": "alibi"}"#.utf8))
        }
    }

    @Test func swigluWidthRuleAndComputedPrefix() {
        #expect(TRMConfig.swigluWidth(512, expansion: 4) == 1536)
        #expect(TRMConfig.swigluWidth(97, expansion: 4) == 512)
        #expect((32...96).allSatisfy { TRMConfig.swigluWidth($0, expansion: 4) == 256 })
        // Another multiple: hidden 64 and 100 positions at expansion 2 ask for 85 and 133 units.
        #expect(TRMConfig.swigluWidth(64, expansion: 2, multiple: 32) == 96)
        #expect(TRMConfig.swigluWidth(100, expansion: 2, multiple: 32) == 160)
        #expect(TRMConfig.swigluWidth(64, expansion: 2, multiple: 1) == 85)
        var c = TRMConfig(seq_len: 81, vocab_size: 11)
        c.puzzle_emb_len = 0
        c.puzzle_emb_ndim = 700
        c.hidden_size = 512
        #expect(c.puzzlePrefixLength == 2)
    }

    @Test func parameterCountsOfTheOfficialConfigurations() {
        func count(seq: Int, vocab: Int, mlpT: Bool) -> Int {
            var c = TRMConfig(seq_len: seq, vocab_size: vocab)
            c.mlp_t = mlpT
            c.pos_encodings = mlpT ? .none : .rope
            c.puzzle_emb_ndim = 512
            return ParameterLayout(config: c).count
        }
        #expect(count(seq: 81, vocab: 11, mlpT: true) == 5_028_866)
        #expect(count(seq: 81, vocab: 11, mlpT: false) == 6_828_034)
        #expect(count(seq: 900, vocab: 6, mlpT: false) == 6_822_914)
        #expect(count(seq: 900, vocab: 12, mlpT: false) == 6_829_058)
    }

    @Test func validationNamesWhatToChange() {
        var c = TRMConfig(seq_len: 16, vocab_size: 6)
        c.hidden_size = 30
        c.num_heads = 4
        #expect(throws: TRMConfigError("rope needs an even head size; hidden_size / num_heads = 7")) { try c.validate() }
        c.num_heads = 3
        // The reference's defaults (no puzzle embedding, 16 prefix slots): its forward fails (§4.2).
        #expect(
            throws: TRMConfigError(
                "puzzle_emb_len is 16 but puzzle_emb_ndim is 0 (no puzzle embedding); the reference cannot run prefix slots without one: set puzzle_emb_len to 0, or give puzzle_emb_ndim a width"
            )
        ) { try c.validate() }
        c.puzzle_emb_len = 0
        #expect(throws: Never.self) { try c.validate() }
        c.puzzle_emb_ndim = 30
        c.puzzle_emb_len = 16
        #expect(throws: Never.self) { try c.validate() }
        c.swiglu_multiple = 0
        #expect(throws: TRMConfigError("swiglu_multiple must be at least 1 (found 0)")) { try c.validate() }
        c.swiglu_multiple = 256
        c.no_ACT_continue = false
        #expect(throws: TRMConfigError("no_ACT_continue = false is not supported (the reference cannot train it either); set it to true")) {
            try c.validate()
        }
    }

    /// Learned positions with the token-mixing variant: X = √D · 0.707106781 · (e + pos) on every
    /// row, prefix included, exactly as with attention (§4.3–4.4).
    @Test func learnedPositionsScaleTheInputOfMLPTToo() throws {
        let c = GradientCheckTests.tinyConfig(mlpT: true, positions: .learned)
        let parameters = ModelParameters(config: c, seed: 8)
        var rng = RandomGenerator(seed: 9)
        for i in 0..<parameters.puzzleTable.count { parameters.puzzleTable[i] = Float(rng.normal()) }
        let network = TRMNetwork(parameters: parameters, batchSize: 2, trainable: false)
        let tokens: [Int32] = [1, 2, 3, 0, 1, 3, 3, 2, 1, 0]
        let ids: [Int32] = [2, 1]
        tokens.withUnsafeBufferPointer { t in ids.withUnsafeBufferPointer { network.encodeInputs(tokens: t.baseAddress!, puzzleIDs: $0.baseAddress!) }
        }
        let carry = ACTCarry(config: c, batchSize: 2)
        let encoded = carry.batchMajor(network.inputEmbedding)
        let (d, s, l) = (c.hidden_size, c.seq_len, c.totalLength)
        let layout = parameters.layout
        let pos = try #require(layout.positionEmbedding)
        let scale = Float(Double(d).squareRoot()) * 0.707106781
        var worst: Float = 0
        for b in 0..<2 {
            for position in 0..<l {
                for i in 0..<d {
                    let e =
                        position < c.puzzlePrefixLength
                        ? parameters.puzzleTable[Int(ids[b]) * c.puzzle_emb_ndim + position * d + i]
                        : parameters.values[layout.tokenEmbedding + Int(tokens[b * s + position - c.puzzlePrefixLength]) * d + i]
                    let expected = scale * (e + parameters.values[pos + position * d + i])
                    worst = max(worst, abs(encoded[(b * l + position) * d + i] - expected))
                }
            }
        }
        #expect(worst < 1e-5, "largest difference \(worst)")
    }

    @Test func initialisationFollowsTheReference() {
        var c = TRMConfig(seq_len: 16, vocab_size: 6)
        c.hidden_size = 64
        c.num_heads = 2
        c.puzzle_emb_ndim = 64
        c.num_puzzle_identifiers = 4
        let p = ModelParameters(config: c, seed: 3)
        let layout = p.layout
        #expect((0..<128).allSatisfy { p.values[layout.qHeadWeight + $0] == 0 })
        #expect(p.values[layout.qHeadBias] == -5 && p.values[layout.qHeadBias + 1] == -5)
        #expect(p.puzzleTable.array.allSatisfy { $0 == 0 })
        let gateUp = layout.entries.first { $0.name.hasSuffix("0.mlp.gate_up_proj.weight") }!
        let values = (0..<gateUp.count).map { Double(p.values[gateUp.offset + $0]) }
        let std = (values.map { $0 * $0 }.reduce(0, +) / Double(values.count)).squareRoot()
        #expect(abs(std - 1 / 8.0) < 0.005)
        #expect(values.allSatisfy { abs($0) <= 2 * RandomGenerator.truncatedNormalCorrection / 8 + 1e-6 })
        #expect(ModelParameters(config: c, seed: 3).values.array == p.values.array)
        #expect(ModelParameters(config: c, seed: 4).values.array != p.values.array)
    }

    @Test func loadsOfficialCheckpointNamesPrefixesAndBFloat16() throws {
        var c = TRMConfig(seq_len: 4, vocab_size: 5)
        c.hidden_size = 16
        c.num_heads = 2
        c.L_layers = 1
        c.puzzle_emb_ndim = 16
        c.num_puzzle_identifiers = 3
        let source = ModelParameters(config: c, seed: 9)
        for i in 0..<source.puzzleTable.count { source.puzzleTable[i] = Float(i) }
        let tensors = StateDict.tensors(of: source)
        #expect(
            tensors.map(\.0).prefix(7) == [
                "inner.H_init", "inner.L_init", "inner.embed_tokens.embedding_weight", "inner.lm_head.weight", "inner.q_head.weight",
                "inner.q_head.bias", "inner.puzzle_emb.weights",
            ])
        for prefix in ["", "_orig_mod.model.", "_orig_mod.", "model."] {
            var writer = SafeTensorsWriter()
            for (name, tensor) in tensors {
                writer.add(prefix + name, tensor, as: name.hasSuffix("_init") ? .bf16 : .f32)
            }
            let loaded = ModelParameters(config: c)
            try StateDict.load(try SafeTensors(data: writer.serialized()), into: loaded)
            #expect(loaded.values.array == source.values.array, "prefix '\(prefix)'")
            #expect(loaded.puzzleTable.array == source.puzzleTable.array)
            for i in 0..<16 {
                #expect(loaded.hInit[i] == HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(from: source.hInit[i])))
            }
        }
        // A table with another row count becomes its row mean, like the reference's loader.
        var writer = SafeTensorsWriter()
        for (name, tensor) in tensors where name != "inner.puzzle_emb.weights" { writer.add(name, tensor) }
        writer.add("inner.puzzle_emb.weights", Tensor(shape: [2, 16], scalars: (0..<32).map(Float.init)))
        let resized = ModelParameters(config: c)
        try StateDict.load(try SafeTensors(data: writer.serialized()), into: resized)
        #expect(resized.puzzleTable.array == Array(repeating: (0..<16).map { Float($0) + 8 }, count: 3).flatMap { $0 })
        // Missing and mis-shaped tensors are named.
        var broken = SafeTensorsWriter()
        for (name, tensor) in tensors where name != "inner.lm_head.weight" { broken.add(name, tensor) }
        #expect(throws: SafeTensorsError("missing tensor 'inner.lm_head.weight'")) {
            try StateDict.load(try SafeTensors(data: broken.serialized()), into: ModelParameters(config: c))
        }
        var misShaped = SafeTensorsWriter()
        for (name, tensor) in tensors {
            misShaped.add(name, name == "inner.q_head.bias" ? Tensor(shape: [3], scalars: [0, 0, 0]) : tensor)
        }
        #expect(throws: SafeTensorsError("tensor 'inner.q_head.bias' has shape [3], expected [2]")) {
            try StateDict.load(try SafeTensors(data: misShaped.serialized()), into: ModelParameters(config: c))
        }
    }

    @Test func inferenceRunsAnyKUpTo64IndependentOfTraining() {
        var c = GradientCheckTests.tinyConfig(mlpT: true, positions: .none, hCycles: 2)
        c.halt_max_steps = 4
        let network = TRMNetwork(parameters: ModelParameters(config: c, seed: 5), batchSize: 2, trainable: false)
        let batch = TokenBatch(inputs: [Int32](repeating: 2, count: 10), labels: [Int32](repeating: 3, count: 10), puzzleIdentifiers: [0, 1])
        for k in [1, 7, 64] {
            let carry = ACTCarry(config: c, batchSize: 2)
            var previous = [Float]()
            for step in 1...k {
                let metrics = network.evalStep(carry, batch: step == 1 ? batch : nil, maxSteps: k)
                #expect(carry.steps == [Int32(step), Int32(step)])
                #expect(carry.halted == [step == k, step == k])
                #expect(metrics.count == (step == k ? 2 : 0))
                #expect(carry.zH.array != previous)
                previous = carry.zH.array
            }
        }
    }

    @Test func trainingHaltsByQHeadAndExplorationDelaysHalting() {
        var c = GradientCheckTests.tinyConfig(mlpT: false, positions: .rope)
        c.halt_max_steps = 5
        let parameters = ModelParameters(config: c, seed: 6)
        parameters.values[parameters.layout.qHeadBias] = 50  // q_halt > 0: halt after one step
        let batch = TokenBatch(
            inputs: [Int32](repeating: 1, count: 40), labels: [Int32](repeating: 2, count: 40), puzzleIdentifiers: [Int32](repeating: 0, count: 8))
        let network = TRMNetwork(parameters: parameters, batchSize: 8)
        var rng = RandomGenerator(seed: 1)
        let carry = ACTCarry(config: c, batchSize: 8)
        network.trainStep(carry, batch: batch, loss: .stablemax, exploration: &rng, gradientScale: 1)
        #expect(carry.halted.allSatisfy { $0 })
        // With exploration always on, each sequence runs at least its drawn minimum (2...M) steps.
        parameters.values[parameters.layout.qHeadBias] = 50
        var explored = c
        explored.halt_exploration_prob = 1
        let exploring = TRMNetwork(parameters: ModelParameters(config: explored), batchSize: 8)
        exploring.parameters.values.copy(from: parameters.values.array)
        let carry2 = ACTCarry(config: explored, batchSize: 8)
        var stepsAtHalt: [Int32] = []
        for _ in 0..<12 {
            exploring.trainStep(carry2, batch: batch, loss: .stablemax, exploration: &rng, gradientScale: 1)
            for b in 0..<8 where carry2.halted[b] { stepsAtHalt.append(carry2.steps[b]) }
        }
        #expect(!stepsAtHalt.isEmpty && stepsAtHalt.allSatisfy { (2...5).contains($0) })
        #expect(Set(stepsAtHalt).count > 1)
    }

    @Test func adamWAndScheduleAndEMA() {
        let parameters = FloatBuffer([1, -2, 0.5])
        let gradients = FloatBuffer([0.1, -0.2, 0])
        let adamw = AdamOptimizer(kind: .adamw, count: 3, beta1: 0.9, beta2: 0.999, weightDecay: 0.01)
        adamw.update(parameters: parameters, gradients: gradients, lr: 0.1)
        // First AdamW step: θ(1 − lr·λ) − lr·sign(g) (up to ε), untouched where g = 0.
        #expect(abs(parameters[0] - (1 * 0.999 - 0.1)) < 1e-5)
        #expect(abs(parameters[1] - (-2 * 0.999 + 0.1)) < 1e-5)
        #expect(abs(parameters[2] - 0.5 * 0.999) < 1e-7)

        let schedule = LearningRateSchedule(base: 1e-3, warmupSteps: 10, totalSteps: 110, minRatio: 0.1)
        #expect(schedule.rate(at: 1) == 1e-4)
        #expect(abs(schedule.rate(at: 10) - 1e-3) < 1e-12)
        #expect(abs(schedule.rate(at: 60) - 1e-3 * (0.1 + 0.9 * 0.5)) < 1e-12)
        #expect(abs(schedule.rate(at: 110) - 1e-4) < 1e-12)
        #expect(LearningRateSchedule(base: 1e-3, warmupSteps: 10, totalSteps: 110).rate(at: 80) == 1e-3)

        let theta = FloatBuffer([1, 2])
        let ema = ParameterEMA(parameters: theta, rate: 0.9)
        theta.copy(from: [3, 4])
        ema.update(from: theta)
        #expect(abs(ema.shadow[0] - 1.2) < 1e-6 && abs(ema.shadow[1] - 2.2) < 1e-6)
    }

    @Test func signSGDSumsRowsOfEqualIdAndLeavesOthersAlone() {
        let table = FloatBuffer([1, 1, 1, 1, 1, 1])  // 3 ids × width 2
        let rows = FloatBuffer([0.5, -1, -0.2, 0, 0.1, 2])  // ids [2, 2, 0]
        PuzzleEmbeddingSignSGD.update(table: table, width: 2, rowGradients: rows, ids: [2, 2, 0], lr: 0.1, weightDecay: 0.5)
        let expected: [Float] = [0.85, 0.85, 1, 1, 0.85, 1.05]
        #expect(zip(table.array, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(table.array)")
    }
}

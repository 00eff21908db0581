import TRMCore

/// The inner model's ACT step (§6): input encoding, the recursion, the heads, and the backward
/// through the one gradient cycle.
extension TRMNetwork {
    /// Factor applied to the embeddings: √D, times 1/√2 with learned positions (§4.3–4.4). The
    /// reference adds learned positions in both variants (mlp_t included), so the factor depends
    /// on `pos_encodings` alone.
    var embeddingScale: (inner: Float, outer: Float) {
        (config.pos_encodings == .learned ? 0.707106781 : 1, Float(Double(d).squareRoot()))
    }

    /// Writes X (position-major `[L, B, D]`): the puzzle prefix (the table row cut into P chunks
    /// of D, zero padded), then token embeddings, then learned positions, then the √D scale.
    func encodeInputs(tokens: UnsafePointer<Int32>, puzzleIDs: UnsafePointer<Int32>) {
        let x = inputEmbedding.pointer
        let dp = config.puzzle_emb_ndim
        let table = w(parameters.layout.tokenEmbedding)
        for b in 0..<batchSize {
            let puzzleRow = parameters.puzzleTable.pointer + Int(puzzleIDs[b]) * max(dp, 0)
            for chunk in 0..<p {
                let row = x + row(chunk, b) * d
                row.update(repeating: 0, count: d)
                let filled = min(d, max(0, dp - chunk * d))
                if filled > 0 { row.update(from: puzzleRow + chunk * d, count: filled) }
            }
            for t in 0..<s {
                let token = Int(tokens[b * s + t])
                (x + row(p + t, b) * d).update(from: table + token * d, count: d)
            }
        }
        let (inner, outer) = embeddingScale
        if let pos = parameters.layout.positionEmbedding {
            let table = w(pos)
            for position in 0..<l {
                let positionRow = table + position * d
                for b in 0..<batchSize {
                    let row = x + row(position, b) * d
                    for i in 0..<d { row[i] = inner * (row[i] + positionRow[i]) }
                }
            }
        }
        for i in 0..<(m * d) { x[i] = outer * x[i] }
    }

    /// One call of the shared network: `z ← f(z, a + b)` with `f(z, inj) = blocks(z + inj)`.
    /// The sum is taken as `z + (a + b)` like the reference (b may be nil).
    func reason(
        _ z: UnsafeMutablePointer<Float>, _ injA: UnsafePointer<Float>, _ injB: UnsafePointer<Float>?,
        _ call: CallActivations
    ) {
        let h = call.input.pointer
        let count = m * d
        if let injB {
            for i in 0..<count { h[i] = z[i] + (injA[i] + injB[i]) }
        } else {
            for i in 0..<count { h[i] = z[i] + injA[i] }
        }
        for layer in 0..<config.L_layers {
            blockForward(layer, input: call.blockInput(layer).pointer, call.blocks[layer])
        }
        z.update(from: call.output.pointer, count: count)
    }

    /// Token logits from z_H rows after the prefix, Q logits from position 0.
    func heads(_ zH: UnsafePointer<Float>) {
        let lm = w(parameters.layout.lmHead)
        let qw = w(parameters.layout.qHeadWeight)
        let qb = w(parameters.layout.qHeadBias)
        for b in 0..<batchSize {
            BLAS.gemm(
                transA: false, transB: true, m: s, n: v, k: d, zH + row(p, b) * d, lda: batchSize * d, lm, ldb: d,
                logits.pointer + b * s * v, ldc: v)
            let first = zH + row(0, b) * d
            for j in 0..<2 {
                var sum: Float = 0
                for i in 0..<d { sum += qw[j * d + i] * first[i] }
                qLogits[b * 2 + j] = sum + qb[j]
            }
        }
    }

    /// One inner ACT step on the carry's latents (updated in place): encode, run H_cycles−1 cycles
    /// without gradient and one recorded cycle (if `recordGradients`), then the heads.
    func innerStep(
        zH: UnsafeMutablePointer<Float>, zL: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>, puzzleIDs: UnsafePointer<Int32>,
        recordGradients: Bool
    ) {
        precondition(!recordGradients || isTrainable, "this network was created without gradient buffers")
        encodeInputs(tokens: tokens, puzzleIDs: puzzleIDs)
        let x = UnsafePointer(inputEmbedding.pointer)
        let n = config.L_cycles
        for cycle in 0..<config.H_cycles {
            let record = recordGradients && cycle == config.H_cycles - 1
            for i in 0..<n { reason(zL, zH, x, record ? tape[i] : scratch) }
            reason(zH, zL, nil, record ? tape[n] : scratch)
        }
        heads(zH)
        if recordGradients {
            finalZH.pointer.update(from: zH, count: m * d)
            tokensForBackward.update(from: tokens, count: batchSize * s)
        }
    }

    /// Back-propagates `dLogits`/`dQLogits` through the heads and the recorded cycle, accumulating
    /// into `gradients` and writing `puzzleRowGradients`. The carry is detached: nothing flows into
    /// the latents the cycle started from.
    func backward() {
        guard let scratch = backwardScratch else { preconditionFailure("network is not trainable") }
        let n = config.L_cycles
        var dCurrent = scratch.gradA.pointer
        var dNext = scratch.gradB.pointer
        headsBackward(into: dCurrent)
        // The z_H update: its injection is z_L, so the input gradient flows to z_L.
        callBackward(tape[n], dOutput: dCurrent, dInput: dNext)
        swap(&dCurrent, &dNext)
        let dX = scratch.dInput.pointer
        dX.update(repeating: 0, count: m * d)
        for i in stride(from: n - 1, through: 0, by: -1) {
            callBackward(tape[i], dOutput: dCurrent, dInput: dNext)
            for j in 0..<(m * d) { dX[j] += dNext[j] }
            swap(&dCurrent, &dNext)
        }
        embeddingBackward(dX)
    }

    private func callBackward(_ call: CallActivations, dOutput: UnsafeMutablePointer<Float>, dInput: UnsafeMutablePointer<Float>) {
        guard let scratch = backwardScratch else { return }
        var dOut = dOutput
        var dIn = dInput
        for layer in stride(from: config.L_layers - 1, through: 0, by: -1) {
            blockBackward(layer, input: call.blockInput(layer).pointer, call.blocks[layer], dOutput: dOut, dInput: dIn, scratch)
            swap(&dOut, &dIn)
        }
        // An even number of layers leaves the result in dOutput's buffer.
        if dOut != dInput { dInput.update(from: dOut, count: m * d) }
    }

    private func headsBackward(into dZH: UnsafeMutablePointer<Float>) {
        let lm = w(parameters.layout.lmHead)
        let qw = w(parameters.layout.qHeadWeight)
        let gw = g(parameters.layout.qHeadWeight)
        let gb = g(parameters.layout.qHeadBias)
        let zH = finalZH.pointer
        let stride = batchSize * d
        dZH.update(repeating: 0, count: m * d)
        for b in 0..<batchSize {
            let dl = dLogits.pointer + b * s * v
            BLAS.gemm(transA: false, transB: false, m: s, n: d, k: v, dl, lda: v, lm, ldb: d, dZH + row(p, b) * d, ldc: stride)
            BLAS.gemm(
                transA: true, transB: false, m: v, n: d, k: s, dl, lda: v, zH + row(p, b) * d, ldb: stride, beta: 1,
                g(parameters.layout.lmHead), ldc: d)
            let first = zH + row(0, b) * d
            let dFirst = dZH + row(0, b) * d
            for j in 0..<2 {
                let dq = dQLogits[b * 2 + j]
                if dq == 0 { continue }
                gb[j] += dq
                for i in 0..<d {
                    gw[j * d + i] += dq * first[i]
                    dFirst[i] += dq * qw[j * d + i]
                }
            }
        }
    }

    /// Gradient of X into the token embedding, the learned positions and the puzzle rows.
    private func embeddingBackward(_ dX: UnsafeMutablePointer<Float>) {
        let (inner, outer) = embeddingScale
        for i in 0..<(m * d) { dX[i] *= outer }
        if let pos = parameters.layout.positionEmbedding {
            for i in 0..<(m * d) { dX[i] *= inner }
            let gp = g(pos)
            for position in 0..<l {
                let target = gp + position * d
                for b in 0..<batchSize {
                    let source = dX + row(position, b) * d
                    for i in 0..<d { target[i] += source[i] }
                }
            }
        }
        let ge = g(parameters.layout.tokenEmbedding)
        for b in 0..<batchSize {
            for t in 0..<s {
                let token = Int(tokensForBackward[b * s + t])
                let source = dX + row(p + t, b) * d
                let target = ge + token * d
                for i in 0..<d { target[i] += source[i] }
            }
        }
        let dp = config.puzzle_emb_ndim
        if dp > 0 {
            for b in 0..<batchSize {
                for chunk in 0..<p {
                    let filled = min(d, max(0, dp - chunk * d))
                    if filled > 0 {
                        (puzzleRowGradients.pointer + b * dp + chunk * d).update(from: dX + row(chunk, b) * d, count: filled)
                    }
                }
            }
        }
    }
}

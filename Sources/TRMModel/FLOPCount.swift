/// Analytic matrix-multiply FLOPs of the engine (2 per multiply-add), the yardstick for speed
/// reports. Elementwise work (norms, activations, softmax) is not counted.
public enum FLOPCount {
    /// One application of one block for `batch` sequences.
    public static func block(_ c: TRMConfig, batch: Int) -> Double {
        let b = Double(batch)
        let l = Double(c.totalLength)
        let d = Double(c.hidden_size)
        let m = b * l
        let width = Double(c.channelMLPWidth)
        let channel = 2 * m * d * 2 * width + 2 * m * width * d
        if c.mlp_t {
            let tokenWidth = Double(c.tokenMLPWidth)
            return channel + 2 * b * 2 * tokenWidth * l * d + 2 * b * l * tokenWidth * d
        }
        let heads = Double(c.num_heads)
        let h = Double(c.headDim)
        let inner = heads * h
        return channel + 2 * m * d * 3 * inner + 2 * 2 * b * heads * l * l * h + 2 * m * inner * d
    }

    /// The output heads (token logits and the two Q logits).
    public static func heads(_ c: TRMConfig, batch: Int) -> Double {
        2 * Double(batch) * (Double(c.seq_len) * Double(c.hidden_size) * Double(c.vocab_size) + 2 * Double(c.hidden_size))
    }

    /// Forward pass of one ACT step: H_cycles · (L_cycles + 1) calls of L_layers blocks, plus heads.
    public static func forwardStep(_ c: TRMConfig, batch: Int) -> Double {
        Double(c.H_cycles * (c.L_cycles + 1) * c.L_layers) * block(c, batch: batch) + heads(c, batch: batch)
    }

    /// One training ACT step: the forward pass plus the backward of the recorded cycle, which costs
    /// two matrix products (input and weight gradients) per forward product.
    public static func trainingStep(_ c: TRMConfig, batch: Int) -> Double {
        forwardStep(c, batch: batch) + 2 * (Double((c.L_cycles + 1) * c.L_layers) * block(c, batch: batch) + heads(c, batch: batch))
    }
}

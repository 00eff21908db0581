import Foundation
import TRMCore

/// Maps model parameters to and from the reference's state_dict names (§3.3).
public enum StateDict {
    /// Key prefixes written by the reference's training loop around the model's own names.
    public static let knownPrefixes = ["_orig_mod.model.", "_orig_mod.", "model."]

    /// The persistent tensors in the reference's key order: H_init, L_init, parameters (with the
    /// puzzle table and learned positions at their places).
    public static func tensors(of parameters: ModelParameters, values: FloatBuffer? = nil) -> [(String, Tensor)] {
        let c = parameters.config
        let source = values ?? parameters.values
        var result: [(String, Tensor)] = [
            ("inner.H_init", Tensor(shape: [c.hidden_size], scalars: parameters.hInit.array)),
            ("inner.L_init", Tensor(shape: [c.hidden_size], scalars: parameters.lInit.array)),
        ]
        for entry in parameters.layout.entries {
            if entry.name == "inner.embed_pos.embedding_weight" || entry.name.hasPrefix("inner.L_level"),
                c.puzzle_emb_ndim > 0, !result.contains(where: { $0.0 == "inner.puzzle_emb.weights" })
            {
                result.append(puzzleTable(parameters))
            }
            let slice = Array(UnsafeBufferPointer(start: source.pointer + entry.offset, count: entry.count))
            result.append((entry.name, Tensor(shape: entry.shape, scalars: slice)))
        }
        return result
    }

    private static func puzzleTable(_ parameters: ModelParameters) -> (String, Tensor) {
        let c = parameters.config
        return ("inner.puzzle_emb.weights", Tensor(shape: [c.num_puzzle_identifiers, c.puzzle_emb_ndim], scalars: parameters.puzzleTable.array))
    }

    /// Loads every persistent tensor from a safetensors file. Names may carry any of
    /// `knownPrefixes`; 16-bit floats are widened. A missing or mis-shaped tensor is an error naming
    /// it. A puzzle table with a different number of rows is replaced by its row mean broadcast to
    /// the configured rows, as the reference's loader does.
    public static func load(_ file: SafeTensors, into parameters: ModelParameters) throws {
        let prefix = detectPrefix(file)
        let c = parameters.config
        func read(_ name: String, _ shape: [Int]) throws -> Tensor {
            try file.tensor(prefix + name, shape: shape)
        }
        parameters.hInit.copy(from: try read("inner.H_init", [c.hidden_size]).scalars)
        parameters.lInit.copy(from: try read("inner.L_init", [c.hidden_size]).scalars)
        for entry in parameters.layout.entries {
            parameters.values.copy(from: try read(entry.name, entry.shape).scalars, offset: entry.offset)
        }
        if c.puzzle_emb_ndim > 0 {
            let table = try file.tensor(prefix + "inner.puzzle_emb.weights")
            guard table.shape.count == 2, table.shape[1] == c.puzzle_emb_ndim else {
                throw SafeTensorsError(
                    "tensor '\(prefix)inner.puzzle_emb.weights' has shape \(table.shape), expected [\(c.num_puzzle_identifiers), \(c.puzzle_emb_ndim)]"
                )
            }
            if table.shape[0] == c.num_puzzle_identifiers {
                parameters.puzzleTable.copy(from: table.scalars)
            } else {
                var mean = [Double](repeating: 0, count: c.puzzle_emb_ndim)
                for r in 0..<table.shape[0] { for j in 0..<c.puzzle_emb_ndim { mean[j] += Double(table.scalars[r * c.puzzle_emb_ndim + j]) } }
                let row = mean.map { Float($0 / Double(max(1, table.shape[0]))) }
                for r in 0..<c.num_puzzle_identifiers { parameters.puzzleTable.copy(from: row, offset: r * c.puzzle_emb_ndim) }
            }
        }
    }

    /// The prefix that the file's names carry (the one under which `inner.H_init` is found).
    public static func detectPrefix(_ file: SafeTensors) -> String {
        for prefix in [""] + knownPrefixes where file.contains(prefix + "inner.H_init") { return prefix }
        return ""
    }
}

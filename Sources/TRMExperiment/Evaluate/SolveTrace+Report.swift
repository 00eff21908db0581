import Foundation

extension SolveTrace {
    /// Every step's answer grid with its halting confidence; changed cells highlighted (ANSI
    /// colour when `colour`, else marked '*'), then where the model would stop.
    public func text(colour: Bool) -> String {
        var lines = ["puzzle \(puzzle.source)", puzzle.grid.render(previous: nil, colour: false)]
        var previous = puzzle.grid
        for step in steps {
            var header = String(
                format: "\nstep %ld  halt confidence %.3f (q_halt %+.2f, q_continue %+.2f)  mean cell confidence %.3f",
                step.k, step.haltProbability, step.qHalt, step.qContinue,
                step.confidence.isEmpty ? 0 : step.confidence.reduce(0, +) / Float(step.confidence.count))
            if step.k == haltStep { header += "  <- the model stops here" }
            if let correct = correct(at: step) { header += correct ? "  correct" : "  wrong" }
            lines += [header, step.grid.render(previous: previous, colour: colour)]
            previous = step.grid
        }
        let changed = colour ? "highlighted" : "marked *"
        lines.append(
            "\n"
                + (haltStep.map { "the model would stop after step \($0) (first q_halt > 0)" }
                    ?? "q_halt stayed ≤ 0 for all \(steps.count) steps: the model would run to its step limit")
                + "; cells that changed since the previous step are \(changed)")
        return lines.joined(separator: "\n")
    }

    /// The JSON value of this trace: the puzzle (text and shape), the halting step, and per step the answer
    /// (decoded characters, row-major), the raw predicted token ids, halting logits and per-cell confidence.
    public var jsonObject: [String: Any] {
        var object: [String: Any] = [
            "puzzle": puzzle.grid.text, "puzzle_rows": puzzle.grid.rows, "puzzle_columns": puzzle.grid.columns, "source": puzzle.source,
            "kind": puzzle.kind.rawValue,
            "halt_step": haltStep.map { $0 as Any } ?? NSNull(),
            "steps": steps.map { step -> [String: Any] in
                var entry: [String: Any] = [
                    "step": step.k, "answer": step.grid.text, "rows": step.grid.rows, "columns": step.grid.columns,
                    "q_halt": Double(step.qHalt), "q_continue": Double(step.qContinue), "halt_probability": step.haltProbability,
                    "confidence": step.confidence.map { Double($0) }, "tokens": step.tokens.map { Int($0) },
                ]
                if let correct = correct(at: step) { entry["correct"] = correct }
                return entry
            },
        ]
        if let answer = puzzle.answer { object["answer"] = PuzzleGrid(kind: puzzle.kind, tokens: answer).text }
        return object
    }
}

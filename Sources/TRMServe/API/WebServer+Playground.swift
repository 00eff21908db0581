import Foundation
import Hummingbird
import TRMData
import TRMExperiment

extension WebServer {
    /// The playground's endpoints: a run's test puzzles, a generated puzzle, and solving one.
    func addPlaygroundRoutes(_ routes: inout RouteTable) {
        let (store, workshop, maxBodyBytes) = (store, workshop, options.maxBodyBytes)

        routes.get("/api/runs/:run/puzzles") { request, context in
            let query = try Query(request, allowed: ["offset", "limit"])
            let offset = try query.int("offset", in: 0...Int.max) ?? 0
            let limit = try query.int("limit", in: 1...500) ?? 50
            let run = try store.resolveRun(try context.pathParameter("run"))
            let experiment = try run.experimentConfig()
            return try await workshop.perform { workshop in
                let dataset = try workshop.dataset(run: run, experiment: experiment)
                let kind = experiment.dataset.kind
                var answer: [String: Any] = ["run": run.id, "kind": kind.rawValue, "offset": offset]
                if kind == .arc {
                    let ids = SolveInput.arcTaskIDs(dataset)
                    answer["total"] = ids.count
                    answer["puzzles"] = ids.dropFirst(offset).prefix(limit).map { ["task": $0] }
                } else {
                    let total = dataset.test.exampleCount
                    answer["total"] = total
                    answer["puzzles"] = try (min(offset, total)..<min(total, offset + limit)).map { index in
                        var entry = PuzzleJSON.puzzle(try SolveInput.testPuzzle(index, dataset: dataset, kind: kind))
                        entry["example"] = index
                        entry["difficulty"] = JSONResponse.optional(dataset.test.difficulty.map { Int($0[index]) })
                        return entry
                    }
                }
                return JSONResponse.ok(answer)
            }
        }

        routes.get("/api/runs/:run/generate") { request, context in
            let seed = try Query(request, allowed: ["seed"]).int("seed", in: 0...Int(UInt32.max)) ?? Int.random(in: 0...Int(UInt32.max))
            let run = try store.resolveRun(try context.pathParameter("run"))
            let experiment = try run.experimentConfig()
            return try await workshop.perform { _ in
                var answer = PuzzleJSON.puzzle(try SolveInput.generated(for: experiment, seed: UInt64(seed)))
                answer["run"] = run.id
                answer["seed"] = seed
                return JSONResponse.ok(answer)
            }
        }

        routes.post("/api/solve") { request, _ in
            let solve = try SolveRequest(try await request.jsonObject(limit: maxBodyBytes))
            let run = try store.resolveRun(solve.run)
            let experiment = try run.experimentConfig()
            if solve.ema && !experiment.training.ema {
                throw APIError.badRequest("run \(run.id) was trained without EMA, so its checkpoints hold no EMA weights; leave out \"ema\"")
            }
            let records = try store.checkpoints(run: run.id)
            guard !records.isEmpty else {
                throw APIError(.conflict, "run \(run.id) (\(run.name)) has no checkpoints yet; wait for its first evaluation")
            }
            let record: CheckpointRecord
            do { record = try solve.checkpoint.select(from: records, run: "\(run.id) (\(run.name))") } catch let error as CheckpointError {
                throw APIError.notFound(error.description)
            }
            return try await workshop.perform { workshop in
                let loaded = try workshop.model(run: run, record: record, ema: solve.ema)
                let kind = experiment.dataset.kind
                let puzzles: [SolvePuzzle]
                switch (solve.source, kind) {
                case (.task(let id), .arc): puzzles = try SolveInput.arcTask(id: id, dataset: workshop.dataset(run: run, experiment: experiment))
                case (_, .arc): throw APIError.badRequest("run \(run.id) solves ARC tasks: give \"task\", a task id of its test set")
                case (.task, _): throw APIError.badRequest("\"task\" is for ARC runs; run \(run.id) solves \(kind.rawValue) puzzles")
                case (.text(let text), _):
                    puzzles = [try SolvePuzzleParser.puzzle(text, kind: kind, cells: loaded.config.seq_len, source: "pasted \(kind.rawValue)")]
                case (.example(let index), _):
                    puzzles = [try SolveInput.testPuzzle(index, dataset: workshop.dataset(run: run, experiment: experiment), kind: kind)]
                }
                var answer = try SolveSession.trace(puzzles, loaded: loaded, experiment: experiment, maxK: solve.k).jsonObject
                answer["checkpoint"] = RunJSON.checkpoint(record)
                return JSONResponse.ok(answer)
            }
        }
    }
}

/// A puzzle as the playground lists it: the input grid's text and shape, and the answer when known.
enum PuzzleJSON {
    static func puzzle(_ puzzle: SolvePuzzle) -> [String: Any] {
        let grid = puzzle.grid
        return [
            "kind": puzzle.kind.rawValue, "source": puzzle.source, "puzzle": grid.text, "rows": grid.rows, "columns": grid.columns,
            "answer": JSONResponse.optional(puzzle.answer.map { PuzzleGrid(kind: puzzle.kind, tokens: $0).text }),
        ]
    }
}

import Foundation
import Hummingbird
import TRMExperiment

extension WebServer {
    /// `/api/runs` and one run's detail, metrics and K statistics.
    func addRunRoutes(_ routes: inout RouteTable) {
        let store = store
        routes.get("/api/runs") { request, _ in
            let query = try Query(request, allowed: ["status", "name"])
            var status: RunStatus?
            if let text = query.string("status") {
                guard let parsed = RunStatus(rawValue: text) else {
                    let known = RunStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    throw APIError.badRequest("status must be one of \(known), got '\(text)'")
                }
                status = parsed
            }
            let name = query.string("name")?.lowercased()
            let progress = try store.progress()
            let runs = try store.listRuns().filter { listing in
                (status.map { listing.run.status == $0 } ?? true)
                    && (name.map { listing.run.name.lowercased().contains($0) || listing.run.id.hasPrefix($0) } ?? true)
            }
            return JSONResponse.ok(["runs": runs.map { RunJSON.summary($0.run, best: $0.best, progress: progress[$0.run.id]) }])
        }

        routes.get("/api/runs/:run") { request, context in
            _ = try Query(request, allowed: [])
            let run = try store.resolveRun(try context.pathParameter("run"))
            let summaries = try store.metricSummaries(run: run.id)
            let headline = RunStore.headlineMetric
            let best = summaries.first { $0.split == headline.split && $0.key == headline.key }?.max_value
            let config = (try? JSONSerialization.jsonObject(with: Data(run.config_json.utf8))) ?? [:]
            return JSONResponse.ok([
                "run": RunJSON.detail(run, best: best, progress: try store.progress()[run.id]), "config": config,
                "checkpoints": try store.checkpoints(run: run.id).map(RunJSON.checkpoint),
                "metrics": summaries.map(RunJSON.metricSummary), "k_evaluations": try store.kEvaluations(run: run.id),
            ])
        }

        routes.get("/api/runs/:run/metrics") { request, context in
            let query = try Query(request, allowed: ["split", "key"])
            let run = try store.resolveRun(try context.pathParameter("run"))
            let records = try store.metrics(run: run.id, split: query.string("split"), key: query.string("key"))
            return JSONResponse.ok(["run": run.id, "series": RunJSON.series(records)])
        }

        routes.get("/api/runs/:run/k-statistics") { request, context in
            let query = try Query(request, allowed: ["split", "step"])
            let run = try store.resolveRun(try context.pathParameter("run"))
            let split = query.string("split") ?? "test"
            let evaluations = try store.kEvaluations(run: run.id)
            let steps = evaluations[split] ?? []
            var answer: [String: Any] = ["run": run.id, "split": split, "evaluations": evaluations, "step": NSNull()]
            let requested = try query.int("step", in: 0...Int.max)
            if let requested, !steps.contains(requested) {
                let known = steps.isEmpty ? "none on this split" : steps.map(String.init).joined(separator: ", ")
                throw APIError.notFound("run \(run.id) has no K statistics at step \(requested) on split '\(split)'; steps: \(known)")
            }
            if steps.isEmpty && !evaluations.isEmpty {
                let known = evaluations.keys.sorted().joined(separator: ", ")
                throw APIError.notFound("run \(run.id) has no K statistics on split '\(split)'; splits: \(known)")
            }
            // No evaluation yet (a run that just started) is an empty answer, not an error.
            if let step = requested ?? steps.last, let statistics = try store.kStatistics(run: run.id, evalStep: step, split: split) {
                answer.merge(RunJSON.kStatistics(statistics)) { $1 }
                answer["step"] = step
            }
            return JSONResponse.ok(answer)
        }
    }
}

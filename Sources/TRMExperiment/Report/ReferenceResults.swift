import Foundation

/// What the official implementation reached on our recipes, and the targets ours must meet
/// against it; read from `experiments/reference/reference-results.json`. Field names are the
/// file's.
public struct ReferenceResults: Codable, Sendable, Equatable {
    /// Where the numbers come from (implementation, precision, threads, machine).
    public var source: String
    /// How close to the reference our runs must come.
    public var targets: Targets
    /// One entry per reference recipe, in report order.
    public var recipes: [Recipe]

    /// How close to the reference our runs must come.
    public struct Targets: Codable, Sendable, Equatable {
        /// Points of exact accuracy ours may lose against the reference (`within_margin` recipes).
        public var exact_margin_points: Double
        /// Largest fraction of the reference's wall time ours may take (0.5: at most half).
        public var time_ratio: Double
    }

    /// How a recipe's exact accuracy is judged.
    public enum ExactTarget: String, Codable, Sendable, Equatable {
        /// Ours ≥ reference − `exact_margin_points`.
        case withinMargin = "within_margin"
        /// Ours > reference (for recipes the reference does not solve at all).
        case above
    }

    /// One recipe and the reference's result on it.
    public struct Recipe: Codable, Sendable, Equatable {
        /// What the recipe is, e.g. "R1 4×4 Sudoku, mlp_t hidden 64, 1,500 steps".
        public var recipe: String
        /// Name of our run (or group of seeded runs) for the recipe.
        public var run: String
        /// Our config for it, relative to the repository.
        public var config: String
        /// The reference's exact (whole-puzzle) accuracy, in percent.
        public var exact_percent: Double
        /// The reference's token accuracy, in percent.
        public var token_percent: Double
        /// The reference's training wall time in minutes.
        public var wall_time_minutes: Double
        /// Whether that time is a rough figure (printed with "~").
        public var wall_time_approximate: Bool?
        /// How ours is judged against `exact_percent`.
        public var exact_target: ExactTarget
        /// Other runs of ours reported against this reference row (e.g. a better recipe for the same task).
        public var also: [Also]?
    }

    /// Another run of ours measured against a recipe's reference numbers.
    public struct Also: Codable, Sendable, Equatable {
        /// Name of the run or group.
        public var run: String
        /// Its config, relative to the repository.
        public var config: String
        /// What it is, e.g. "ours, better recipe".
        public var label: String
    }

    /// Reads and decodes a reference file.
    /// - Throws: `ReportError` naming the file and what is wrong with it.
    public static func load(contentsOf url: URL) throws -> ReferenceResults {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ReportError("cannot read reference results \(url.path): \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(ReferenceResults.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ReportError("\(url.path): missing \"\(key.stringValue)\" at \(Self.path(context))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context)
        {
            throw ReportError("\(url.path): \(context.debugDescription) at \(Self.path(context))")
        } catch {
            throw ReportError("\(url.path): \(error)")
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "the top level" : String(path.drop { $0 == "." })
    }
}

extension ReferenceResults.Recipe {
    /// The lowest (or, for `above`, the bound to beat) exact accuracy in percent that meets the target.
    public func exactBound(_ targets: ReferenceResults.Targets) -> Double {
        exact_target == .above ? exact_percent : exact_percent - targets.exact_margin_points
    }

    /// Whether an exact accuracy of `percent` meets the target.
    public func meetsExact(_ percent: Double, _ targets: ReferenceResults.Targets) -> Bool {
        exact_target == .above ? percent > exactBound(targets) : percent >= exactBound(targets)
    }

    /// The longest wall time in minutes that meets the time target.
    public func timeBound(_ targets: ReferenceResults.Targets) -> Double { wall_time_minutes * targets.time_ratio }
}

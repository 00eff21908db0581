/// One problem found in an experiment config, located by its JSON path.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is; tests and tools can match on it.
    public enum Kind: String, Sendable, Equatable {
        /// `syntax`: unreadable file or invalid JSON; `unknownKey`: a key the schema lacks; `wrongType`, `outOfRange`: a bad value;
        /// `missing`: a required field is absent; `notApplicable`: a field that does not apply to this kind or source;
        /// `inconsistent`: fields that contradict each other; `badOverride`: a malformed `--set` value.
        case syntax, unknownKey, wrongType, outOfRange, missing, notApplicable, inconsistent, badOverride
    }

    /// Dotted JSON path, e.g. `training.lr` or `evaluation.halt_thresholds[1]`; empty for the whole file.
    public let path: String
    /// What kind of problem it is.
    public let kind: Kind
    /// What was found and what is allowed or what to change.
    public let message: String

    /// An issue at `path` (dotted, empty for the whole file).
    public init(path: String, kind: Kind, message: String) {
        self.path = path
        self.kind = kind
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// All problems of a config at once, so that one edit can fix them all.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or other origin) the config came from.
    public let source: String
    /// Every problem found, in the order they were found; never empty.
    public let issues: [ConfigIssue]

    /// The issues of the config read from `source`.
    public init(source: String, issues: [ConfigIssue]) {
        self.source = source
        self.issues = issues
    }

    public var description: String {
        let count = issues.count == 1 ? "1 problem" : "\(issues.count) problems"
        return "\(source): \(count) (see `trm-exp config --schema` for every field):\n"
            + issues.map { "  - \($0)" }.joined(separator: "\n")
    }

    /// The issue at `path`, if any (first of them).
    public func issue(at path: String) -> ConfigIssue? { issues.first { $0.path == path } }
}

/// Suggestions for misspelt keys and choices.
enum NearMiss {
    /// The candidate closest to `word` if it is close enough to be a likely typo.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        guard let (candidate, distance) = best else { return nil }
        return distance <= max(2, word.count / 3) ? candidate : nil
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}

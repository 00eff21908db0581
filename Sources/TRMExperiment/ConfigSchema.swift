/// Numeric bounds of a config value, inclusive or exclusive at each end.
public struct SchemaBounds: Sendable, Equatable {
    /// Lowest allowed value; nil: unbounded below.
    public var lower: Double?
    /// Whether `lower` itself is allowed (default true).
    public var lowerInclusive = true
    /// Highest allowed value; nil: unbounded above.
    public var upper: Double?
    /// Whether `upper` itself is allowed (default true).
    public var upperInclusive = true

    /// No bounds.
    public static let any = SchemaBounds()
    /// `≥ value`.
    public static func atLeast(_ value: Double) -> SchemaBounds { SchemaBounds(lower: value) }
    /// `> value`.
    public static func above(_ value: Double) -> SchemaBounds { SchemaBounds(lower: value, lowerInclusive: false) }
    /// `[lower, upper]`.
    public static func within(_ lower: Double, _ upper: Double) -> SchemaBounds { SchemaBounds(lower: lower, upper: upper) }

    /// Whether `value` lies inside the bounds.
    public func contains(_ value: Double) -> Bool {
        if let lower, lowerInclusive ? value < lower : value <= lower { return false }
        if let upper, upperInclusive ? value > upper : value >= upper { return false }
        return true
    }

    /// Human wording, e.g. "≥ 1", "in (0, 1)"; empty when unbounded.
    public var text: String {
        func format(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
        switch (lower, upper) {
        case (nil, nil): return ""
        case (let lower?, nil): return (lowerInclusive ? "≥ " : "> ") + format(lower)
        case (nil, let upper?): return (upperInclusive ? "≤ " : "< ") + format(upper)
        case (let lower?, let upper?):
            return "in \(lowerInclusive ? "[" : "(")\(format(lower)), \(format(upper))\(upperInclusive ? "]" : ")")"
        }
    }
}

/// The type of a config value.
public indirect enum SchemaType: Sendable {
    /// A JSON object with exactly these fields (unknown keys are errors).
    case object([SchemaField])
    /// A whole number within bounds (a fractional number with no fraction, like 2.0, is accepted).
    case integer(SchemaBounds)
    /// Any number within bounds.
    case number(SchemaBounds)
    /// `true` or `false`.
    case boolean
    /// A string; `pattern` describes and `isValid` checks its allowed form.
    case string(pattern: String?, isValid: @Sendable (String) -> Bool)
    /// One of a fixed set of strings.
    case choice([String])
    /// An array of elements, with a count limit.
    case array(SchemaType, count: ClosedRange<Int>)

    /// Short wording of what is allowed, for errors and documentation.
    public var text: String {
        switch self {
        case .object: return "an object"
        case .integer(let bounds): return bounds.text.isEmpty ? "an integer" : "an integer \(bounds.text)"
        case .number(let bounds): return bounds.text.isEmpty ? "a number" : "a number \(bounds.text)"
        case .boolean: return "true or false"
        case .string(let pattern, _): return pattern.map { "a string (\($0))" } ?? "a string"
        case .choice(let options): return "one of " + options.map { "\"\($0)\"" }.joined(separator: ", ")
        case .array(let element, let count):
            let size =
                count.lowerBound == count.upperBound
                ? "exactly \(count.lowerBound)"
                : count.upperBound == Int.max ? "\(count.lowerBound) or more" : "\(count.lowerBound) to \(count.upperBound)"
            return "an array of \(size) elements, each \(element.text)"
        }
    }
}

/// Whether a field must be given, and what it is when it is not.
public enum SchemaPresence: Sendable {
    /// The field must be present.
    case required
    /// Absent means this value.
    case defaultValue(JSONValue)
    /// Absent (or null) stays null; the text says what null means.
    case optional(String)
}

/// One field of an object in the config schema.
public struct SchemaField: Sendable {
    /// The JSON key of the field.
    public let name: String
    /// The type and constraints its value must satisfy.
    public let type: SchemaType
    /// Whether the field is required, has a default, or may stay null.
    public let presence: SchemaPresence
    /// What the field is for, with units.
    public let doc: String
    /// When set, the field applies only when the sibling `key` has one of `values`; otherwise
    /// giving it is an error.
    public let onlyWhen: (key: String, values: [String])?

    /// Describes a field.
    public init(
        _ name: String, _ type: SchemaType, _ presence: SchemaPresence, _ doc: String,
        onlyWhen: (key: String, values: [String])? = nil
    ) {
        self.name = name
        self.type = type
        self.presence = presence
        self.doc = doc
        self.onlyWhen = onlyWhen
    }
}

extension SchemaType {
    /// The field list of an object type, or nil.
    var fields: [SchemaField]? {
        if case .object(let fields) = self { return fields }
        return nil
    }

    /// The type at a dotted path below this object type, or nil when no such field exists.
    func field(at path: [String]) -> SchemaField? {
        guard let first = path.first, let field = fields?.first(where: { $0.name == first }) else { return nil }
        return path.count == 1 ? field : field.type.field(at: Array(path.dropFirst()))
    }
}

/// Renders a schema as plain-text documentation: one entry per field, with its dotted path,
/// allowed values, default and purpose.
public enum SchemaDocumentation {
    /// The documentation text of `root`.
    public static func render(_ root: SchemaType, title: String) -> String {
        var lines = [title, ""]
        append(root, prefix: "", into: &lines)
        return lines.joined(separator: "\n")
    }

    private static func append(_ type: SchemaType, prefix: String, into lines: inout [String]) {
        guard let fields = type.fields else { return }
        for field in fields {
            let path = prefix.isEmpty ? field.name : "\(prefix).\(field.name)"
            let presence: String
            switch field.presence {
            case .required: presence = "required"
            case .defaultValue(let value): presence = "default \(value.canonical)"
            case .optional(let meaning): presence = "optional; omitted or null: \(meaning)"
            }
            if case .object = field.type {
                // Objects with defaults are always there; say so only of one that may be left out.
                if case .optional = field.presence {
                    lines.append("\(path)  (object); \(presence)")
                } else {
                    lines.append("\(path)  (object)")
                }
            } else {
                lines.append("\(path)  \(field.type.text); \(presence)")
            }
            var doc = "    \(field.doc)"
            if let condition = field.onlyWhen {
                doc += " Only when \(prefix.isEmpty ? "" : prefix + ".")\(condition.key) is \(condition.values.joined(separator: " or "))."
            }
            lines.append(doc)
            if case .object = field.type { append(field.type, prefix: path, into: &lines) }
        }
    }
}

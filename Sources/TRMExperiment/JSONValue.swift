import Foundation

/// A JSON value with integers kept apart from fractional numbers, so that configs can be checked
/// by type and written back canonically (sorted keys, one spelling per value) for hashing.
public enum JSONValue: Sendable, Equatable, Hashable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without a fraction or exponent.
    case int(Int)
    /// A number with a fraction or exponent.
    case number(Double)
    /// A string.
    case string(String)
    /// An array of values in order.
    case array([JSONValue])
    /// An object; key order is not kept (canonical text sorts keys).
    case object([String: JSONValue])

    /// Parses JSON text (through `JSONSerialization`).
    /// - Throws: `ConfigError` with the parser's message when the text is not JSON.
    public static func parse(_ data: Data, source: String) throws -> JSONValue {
        do {
            let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return JSONValue(foundation: object)
        } catch {
            throw ConfigError(
                source: source,
                issues: [
                    ConfigIssue(
                        path: "", kind: .syntax,
                        message: "is not valid JSON: \(error.localizedDescription); check for trailing commas, comments or unquoted keys")
                ])
        }
    }

    /// Converts a value produced by `JSONSerialization`.
    public init(foundation value: Any) {
        switch value {
        case is NSNull: self = .null
        case let string as String: self = .string(string)
        case let number as NSNumber:
            // JSONSerialization marks booleans with the C type "c" and fractional or exponent
            // numbers with "d"; everything else is an integer.
            switch String(cString: number.objCType) {
            case "c", "B": self = .bool(number.boolValue)
            case "d", "f": self = .number(number.doubleValue)
            default: self = .int(number.intValue)
            }
        case let array as [Any]: self = .array(array.map(JSONValue.init(foundation:)))
        case let object as [String: Any]: self = .object(object.mapValues(JSONValue.init(foundation:)))
        default: self = .string(String(describing: value))
        }
    }

    /// Canonical JSON text: object keys sorted, no insignificant whitespace, integers without a
    /// fraction, other numbers in Swift's shortest round-trip spelling. Equal values always give
    /// equal text, which is what config hashes rely on.
    public var canonical: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// Sorted-key JSON indented by two spaces, for people to read.
    public var pretty: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    private func write(to out: inout String, indent: String?, level: Int) {
        let newline = indent.map { "\n" + String(repeating: $0, count: level + 1) } ?? ""
        let closing = indent.map { "\n" + String(repeating: $0, count: level) } ?? ""
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .number(let value):
            if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
                out += String(Int(value)) + ".0"
            } else {
                out += value.isFinite ? "\(value)" : "null"
            }
        case .string(let value): out += Self.quote(value)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                out += newline
                item.write(to: &out, indent: indent, level: level + 1)
            }
            out += closing + "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{"
            for (i, key) in fields.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                out += newline + Self.quote(key) + (indent == nil ? ":" : ": ")
                fields[key]!.write(to: &out, indent: indent, level: level + 1)
            }
            out += closing + "}"
        }
    }

    static func quote(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += String(format: "\\u%04x", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A short rendering for error messages, e.g. `string "abc"` or `number -1.0`.
    public var summary: String {
        switch self {
        case .null: "null"
        case .bool(let value): "boolean \(value)"
        case .int(let value): "integer \(value)"
        case .number: "number \(canonical)"
        case .string(let value): "string \(Self.quote(value.count > 40 ? String(value.prefix(40)) + "…" : value))"
        case .array(let items): "an array of \(items.count)"
        case .object: "an object"
        }
    }

    /// The value at a dotted path, or nil.
    public subscript(path path: String) -> JSONValue? {
        var current = self
        for part in path.split(separator: ".") {
            guard case .object(let fields) = current, let next = fields[String(part)] else { return nil }
            current = next
        }
        return current
    }
}

extension JSONValue {
    /// Leaf values by dotted path (`training.lr` → `0.0001`), arrays kept whole as canonical JSON,
    /// sorted by path. This is what the run store keeps as params.
    public func flattened(prefix: String = "") -> [(key: String, value: String)] {
        guard case .object(let fields) = self else { return [(prefix, canonical)] }
        return fields.keys.sorted().flatMap { key in
            fields[key]!.flattened(prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
        }
    }
}

/// Walks a parsed config against a schema: reports every unknown key, wrong type, out-of-range
/// value and missing field, and returns the config with defaults filled in and numbers normalised
/// (integers for integer fields, floating point for number fields).
struct ConfigValidator {
    private(set) var issues: [ConfigIssue] = []

    mutating func report(_ path: String, _ kind: ConfigIssue.Kind, _ message: String) {
        issues.append(ConfigIssue(path: path, kind: kind, message: message))
    }

    /// The resolved value of an object of `fields`; nil when `value` is not an object.
    mutating func resolveObject(_ value: JSONValue, fields: [SchemaField], path: String) -> JSONValue? {
        guard case .object(let given) = value else {
            report(path, .wrongType, "found \(value.summary), expected an object with keys \(fields.map(\.name).joined(separator: ", "))")
            return nil
        }
        let names = fields.map(\.name)
        for key in given.keys.sorted() where !names.contains(key) {
            let hint = NearMiss.suggestion(for: key, among: names).map { "did you mean \"\($0)\"? " } ?? ""
            report(join(path, key), .unknownKey, "unknown key; \(hint)allowed here: \(names.joined(separator: ", "))")
        }
        var resolved: [String: JSONValue] = [:]
        for field in fields {
            let fieldPath = join(path, field.name)
            let present = given[field.name]
            if let condition = field.onlyWhen {
                guard case .string(let actual)? = given[condition.key], condition.values.contains(actual) else {
                    if let present, present != .null, case .string(let actual)? = given[condition.key] {
                        report(
                            fieldPath, .notApplicable,
                            "applies only when \(join(path, condition.key)) is \(condition.values.joined(separator: " or ")), not \"\(actual)\"; remove it"
                        )
                    }
                    continue
                }
            }
            switch (present, field.presence) {
            case (nil, .required), (.null?, .required):
                report(fieldPath, .missing, "required but \(present == nil ? "missing" : "null"); give \(field.type.text) (\(field.doc))")
            case (nil, .optional), (.null?, .optional):
                resolved[field.name] = .null
            case (nil, .defaultValue(let value)):
                if case .object(let nested) = field.type {
                    resolved[field.name] = resolveObject(value, fields: nested, path: fieldPath)
                } else {
                    resolved[field.name] = value
                }
            case (.null?, .defaultValue(let value)):
                report(fieldPath, .wrongType, "found null, expected \(field.type.text); omit the key to use the default \(value.canonical)")
            case (let value?, _):
                resolved[field.name] = check(value, type: field.type, path: fieldPath)
            }
        }
        return .object(resolved)
    }

    /// The normalised value, or nil after reporting why it does not fit `type`.
    mutating func check(_ value: JSONValue, type: SchemaType, path: String) -> JSONValue? {
        switch type {
        case .object(let fields):
            return resolveObject(value, fields: fields, path: path)
        case .integer(let bounds):
            let integer: Int
            switch value {
            case .int(let i): integer = i
            case .number(let d) where d == d.rounded() && abs(d) < 1e15: integer = Int(d)
            default:
                report(path, .wrongType, "found \(value.summary), expected \(type.text)")
                return nil
            }
            guard bounds.contains(Double(integer)) else {
                report(path, .outOfRange, "found \(integer), allowed: \(type.text)")
                return nil
            }
            return .int(integer)
        case .number(let bounds):
            let number: Double
            switch value {
            case .int(let i): number = Double(i)
            case .number(let d): number = d
            default:
                report(path, .wrongType, "found \(value.summary), expected \(type.text)")
                return nil
            }
            guard bounds.contains(number) else {
                report(path, .outOfRange, "found \(JSONValue.number(number).canonical), allowed: \(type.text)")
                return nil
            }
            return .number(number)
        case .boolean:
            guard case .bool = value else {
                report(path, .wrongType, "found \(value.summary), expected true or false")
                return nil
            }
            return value
        case .string(_, let isValid):
            guard case .string(let string) = value else {
                report(path, .wrongType, "found \(value.summary), expected \(type.text)")
                return nil
            }
            guard isValid(string) else {
                report(path, .outOfRange, "found \(value.summary), allowed: \(type.text)")
                return nil
            }
            return value
        case .choice(let options):
            guard case .string(let string) = value else {
                report(path, .wrongType, "found \(value.summary), expected \(type.text)")
                return nil
            }
            guard options.contains(string) else {
                let hint = NearMiss.suggestion(for: string, among: options).map { "; did you mean \"\($0)\"?" } ?? ""
                report(path, .outOfRange, "found \(value.summary), allowed: \(type.text)\(hint)")
                return nil
            }
            return value
        case .array(let element, let count):
            guard case .array(let items) = value else {
                report(path, .wrongType, "found \(value.summary), expected \(type.text)")
                return nil
            }
            guard count.contains(items.count) else {
                report(path, .outOfRange, "found \(items.count) elements, allowed: \(type.text)")
                return nil
            }
            var out: [JSONValue] = []
            for (i, item) in items.enumerated() {
                if let checked = check(item, type: element, path: "\(path)[\(i)]") { out.append(checked) }
            }
            return out.count == items.count ? .array(out) : nil
        }
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

import Foundation

/// `--set path=value` overrides, typed by the schema: `training.lr=3e-4` becomes a number,
/// `model.mlp_t=true` a boolean, `evaluation.halt_thresholds=0.5,0.9` an array. Values that do not
/// convert are inserted as strings, so the schema walk reports them with the usual message.
enum ConfigOverride {
    static func apply(_ text: String, to root: inout JSONValue, schema: SchemaType, validator: inout ConfigValidator) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            validator.report("", .badOverride, "--set \(text): expected PATH=VALUE, e.g. --set training.lr=3e-4")
            return
        }
        let path = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        let raw = String(text[text.index(after: equals)...])
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        // Find the field, reporting the first unknown component with a suggestion.
        var type = schema
        for (i, part) in parts.enumerated() {
            let prefix = parts[..<i].joined(separator: ".")
            guard let fields = type.fields else {
                validator.report(path, .badOverride, "--set: \(prefix) is not an object, so it has no field \"\(part)\"")
                return
            }
            guard let field = fields.first(where: { $0.name == part }) else {
                let hint = NearMiss.suggestion(for: part, among: fields.map(\.name)).map { "did you mean \"\($0)\"? " } ?? ""
                let here = prefix.isEmpty ? "at the top level" : "in \(prefix)"
                validator.report(
                    path, .unknownKey,
                    "--set: unknown key; \(hint)allowed \(here): \(fields.map(\.name).joined(separator: ", "))")
                return
            }
            type = field.type
        }
        insert(typedValue(raw, type: type), at: parts[...], into: &root)
    }

    /// `raw` converted to the JSON value the schema type expects, when it converts.
    static func typedValue(_ raw: String, type: SchemaType) -> JSONValue {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text == "null" { return .null }
        switch type {
        case .integer:
            if let value = Int(text) { return .int(value) }
            if let value = Double(text) { return .number(value) }
        case .number:
            if let value = Double(text), value.isFinite { return .number(value) }
        case .boolean:
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
        case .string, .choice:
            if text.hasPrefix("\""), let value = try? JSONValue.parse(Data(text.utf8), source: "--set"), case .string = value {
                return value
            }
            return .string(raw)
        case .array(let element, _):
            if text.hasPrefix("["), let value = try? JSONValue.parse(Data(text.utf8), source: "--set") { return value }
            let items = text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false)
            return .array(items.map { typedValue(String($0), type: element) })
        case .object:
            if let value = try? JSONValue.parse(Data(text.utf8), source: "--set") { return value }
        }
        return .string(raw)
    }

    private static func insert(_ value: JSONValue, at path: ArraySlice<String>, into node: inout JSONValue) {
        guard let key = path.first else {
            node = value
            return
        }
        var fields: [String: JSONValue] = [:]
        if case .object(let existing) = node { fields = existing }
        var child = fields[key] ?? .object([:])
        insert(value, at: path.dropFirst(), into: &child)
        fields[key] = child
        node = .object(fields)
    }
}

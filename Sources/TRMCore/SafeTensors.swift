import Foundation

/// Element types a safetensors file may hold that trm-exp reads and writes.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    /// The dtype names as written in a safetensors header: float32, bfloat16, float16, int32, int64.
    case f32 = "F32", bf16 = "BF16", f16 = "F16", i32 = "I32", i64 = "I64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f32, .i32: 4
        case .bf16, .f16: 2
        case .i64: 8
        }
    }

    /// Whether values of this type are read and written as `Float` (F32, BF16, F16) rather than integers.
    public var isFloatingPoint: Bool { self == .f32 || self == .bf16 || self == .f16 }
}

/// Why a safetensors file was refused.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    public let description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// A parsed safetensors file: a JSON header naming each tensor's dtype, shape and byte range,
/// followed by the raw little-endian payload. Parsing validates everything before any tensor is
/// handed out, so a malformed file is refused whole.
public struct SafeTensors: Sendable {
    /// One tensor as the header describes it.
    public struct Entry: Sendable, Equatable {
        /// Tensor name, unique within the file (e.g. a reference state_dict key).
        public let name: String
        /// Element type of the stored bytes.
        public let dtype: SafeTensorsDType
        /// Extent of each axis, outermost first; `[]` for a scalar.
        public let shape: [Int]
        /// Byte range inside the payload (after the header).
        public let range: Range<Int>
    }

    /// Tensor names in payload order.
    public let names: [String]
    /// Free-form string metadata (`__metadata__`).
    public let metadata: [String: String]
    private let entries: [String: Entry]
    private let payload: Data

    /// Reads and validates a file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw SafeTensorsError("cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(data: data)
    }

    /// Parses and validates the bytes of a safetensors file.
    public init(data: Data) throws {
        guard data.count >= 8 else {
            throw SafeTensorsError("file is \(data.count) bytes, shorter than the 8-byte header length")
        }
        let headerLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw SafeTensorsError(
                "header length \(headerLength) at byte 0 exceeds the \(data.count - 8) bytes that follow")
        }
        let headerEnd = 8 + Int(headerLength)
        let headerBytes = data.subdata(in: data.startIndex + 8..<data.startIndex + headerEnd)
        guard let object = try? JSONSerialization.jsonObject(with: headerBytes),
            let header = object as? [String: Any]
        else {
            throw SafeTensorsError("header (bytes 8..<\(headerEnd)) is not a JSON object")
        }
        let payload = data.subdata(in: data.startIndex + headerEnd..<data.endIndex)
        var metadata: [String: String] = [:]
        var entries: [String: Entry] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else {
                    throw SafeTensorsError("__metadata__ is not an object of strings")
                }
                for (key, item) in map {
                    guard let string = item as? String else {
                        throw SafeTensorsError("__metadata__ value for '\(key)' is not a string")
                    }
                    metadata[key] = string
                }
                continue
            }
            entries[name] = try Self.parseEntry(name: name, value: value, payloadCount: payload.count)
        }
        let ordered = entries.values.sorted { ($0.range.lowerBound, $0.name) < ($1.range.lowerBound, $1.name) }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where next.range.lowerBound < previous.range.upperBound {
            throw SafeTensorsError(
                "tensor '\(next.name)' (bytes \(next.range)) overlaps tensor '\(previous.name)' (bytes \(previous.range))")
        }
        self.names = ordered.map(\.name)
        self.metadata = metadata
        self.entries = entries
        self.payload = payload
    }

    private static func parseEntry(name: String, value: Any, payloadCount: Int) throws -> Entry {
        guard let fields = value as? [String: Any] else {
            throw SafeTensorsError("tensor '\(name)': header entry is not an object")
        }
        guard let dtypeName = fields["dtype"] as? String else {
            throw SafeTensorsError("tensor '\(name)': missing dtype")
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw SafeTensorsError(
                "tensor '\(name)': unsupported dtype \(dtypeName) (supported: \(SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let shapeValues = fields["shape"] as? [Any],
            let shape = shapeValues.map({ ($0 as? NSNumber)?.intValue }) as? [Int], shape.allSatisfy({ $0 >= 0 })
        else {
            throw SafeTensorsError("tensor '\(name)': shape is not a list of non-negative integers")
        }
        guard let offsetValues = fields["data_offsets"] as? [Any], offsetValues.count == 2,
            let begin = (offsetValues[0] as? NSNumber)?.intValue, let end = (offsetValues[1] as? NSNumber)?.intValue
        else {
            throw SafeTensorsError("tensor '\(name)': data_offsets is not a pair of integers")
        }
        guard begin >= 0, begin <= end, end <= payloadCount else {
            throw SafeTensorsError(
                "tensor '\(name)': data_offsets [\(begin), \(end)] fall outside the \(payloadCount)-byte payload")
        }
        let expected = shape.reduce(1, *) * dtype.size
        guard end - begin == expected else {
            throw SafeTensorsError(
                "tensor '\(name)': \(end - begin) bytes at offset \(begin), but \(dtype.rawValue) \(shape) needs \(expected)")
        }
        return Entry(name: name, dtype: dtype, shape: shape, range: begin..<end)
    }

    /// The header entry of a tensor, or nil.
    public func entry(_ name: String) -> Entry? { entries[name] }

    /// Whether the file holds a tensor called `name`.
    public func contains(_ name: String) -> Bool { entries[name] != nil }

    private func require(_ name: String) throws -> Entry {
        guard let entry = entries[name] else { throw SafeTensorsError("missing tensor '\(name)'") }
        return entry
    }

    /// A floating-point tensor widened to float32.
    public func tensor(_ name: String) throws -> Tensor {
        let entry = try require(name)
        guard entry.dtype.isFloatingPoint else {
            throw SafeTensorsError("tensor '\(name)' is \(entry.dtype.rawValue), expected a floating-point type")
        }
        let count = entry.shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        payload.withUnsafeBytes { raw in
            let base = raw.baseAddress!.advanced(by: entry.range.lowerBound)
            values.withUnsafeMutableBufferPointer { out in
                switch entry.dtype {
                case .f32:
                    for i in 0..<count { out[i] = Float(bitPattern: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian) }
                case .bf16:
                    for i in 0..<count {
                        out[i] = HalfPrecision.float(fromBFloat16: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian)
                    }
                case .f16:
                    for i in 0..<count {
                        out[i] = HalfPrecision.float(fromHalf: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian)
                    }
                case .i32, .i64: break
                }
            }
        }
        return Tensor(shape: entry.shape, scalars: values)
    }

    /// A floating-point tensor, checking its shape.
    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        let result = try tensor(name)
        guard result.shape == shape else {
            throw SafeTensorsError("tensor '\(name)' has shape \(result.shape), expected \(shape)")
        }
        return result
    }

    /// An integer tensor widened to Int64.
    public func intTensor(_ name: String) throws -> IntTensor {
        let entry = try require(name)
        let count = entry.shape.reduce(1, *)
        var values = [Int64](repeating: 0, count: count)
        try payload.withUnsafeBytes { raw in
            let base = raw.baseAddress!.advanced(by: entry.range.lowerBound)
            switch entry.dtype {
            case .i32:
                for i in 0..<count { values[i] = Int64(Int32(bitPattern: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian)) }
            case .i64:
                for i in 0..<count { values[i] = Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)) }
            default:
                throw SafeTensorsError("tensor '\(name)' is \(entry.dtype.rawValue), expected I32 or I64")
            }
        }
        return IntTensor(shape: entry.shape, scalars: values)
    }
}

/// Builds a safetensors file in memory. Tensors are laid out in insertion order and the header is
/// padded with spaces so the payload starts 8-byte aligned.
public struct SafeTensorsWriter {
    private var header: [(String, SafeTensorsDType, [Int], Range<Int>)] = []
    private var payload = Data()
    /// String metadata written as `__metadata__`.
    public var metadata: [String: String] = [:]

    /// An empty file: no tensors, no metadata.
    public init() {}

    /// Adds a float tensor, stored as `dtype` (F32, BF16 or F16).
    public mutating func add(_ name: String, _ tensor: Tensor, as dtype: SafeTensorsDType = .f32) {
        precondition(dtype.isFloatingPoint, "float tensor '\(name)' cannot be stored as \(dtype.rawValue)")
        let start = payload.count
        payload.reserveCapacity(start + tensor.count * dtype.size)
        switch dtype {
        case .f32:
            for v in tensor.scalars { append(v.bitPattern) }
        case .bf16:
            for v in tensor.scalars { append(HalfPrecision.bfloat16(from: v)) }
        case .f16:
            for v in tensor.scalars { append(HalfPrecision.half(from: v)) }
        case .i32, .i64: break
        }
        header.append((name, dtype, tensor.shape, start..<payload.count))
    }

    /// Adds an integer tensor, stored as `dtype` (I32 or I64).
    public mutating func add(_ name: String, _ tensor: IntTensor, as dtype: SafeTensorsDType = .i32) {
        precondition(!dtype.isFloatingPoint, "integer tensor '\(name)' cannot be stored as \(dtype.rawValue)")
        let start = payload.count
        for v in tensor.scalars {
            if dtype == .i32 { append(UInt32(bitPattern: Int32(truncatingIfNeeded: v))) } else { append(UInt64(bitPattern: v)) }
        }
        header.append((name, dtype, tensor.shape, start..<payload.count))
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { payload.append(contentsOf: $0) }
    }

    /// The complete file.
    public func serialized() -> Data {
        var json = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let fields = metadata.keys.sorted().map { "\(Self.quote($0)):\(Self.quote(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        for (name, dtype, shape, range) in header {
            let dims = shape.map(String.init).joined(separator: ",")
            parts.append(
                "\(Self.quote(name)):{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(dims)],\"data_offsets\":[\(range.lowerBound),\(range.upperBound)]}"
            )
        }
        json += parts.joined(separator: ",") + "}"
        var headerBytes = Data(json.utf8)
        while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(0x20) }
        var out = Data(capacity: 8 + headerBytes.count + payload.count)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(headerBytes)
        out.append(payload)
        return out
    }

    private static func quote(_ string: String) -> String {
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
}

import Foundation

/// A NumPy `.npy` array (format 1.0/2.0/3.0, C order, little endian) held as raw bytes.
public struct NpyArray: Equatable, Sendable {
    /// NumPy type string such as `|u1`, `<i4`, `<i8`, `<f4`.
    public var dtype: String
    /// Dimensions.
    public var shape: [Int]
    /// Row-major element bytes, little endian.
    public var data: Data

    /// Wraps raw bytes.
    public init(dtype: String, shape: [Int], data: Data) {
        self.dtype = dtype
        self.shape = shape
        self.data = data
    }

    /// A `|u1` array.
    public init(uint8 values: [UInt8], shape: [Int]) {
        precondition(shape.reduce(1, *) == values.count, "shape does not match element count")
        self.init(dtype: "|u1", shape: shape, data: Data(values))
    }

    /// A `<i4` array.
    public init(int32 values: [Int32], shape: [Int]) {
        precondition(shape.reduce(1, *) == values.count, "shape does not match element count")
        let bytes = values.map { $0.littleEndian }.withUnsafeBufferPointer { Data(buffer: $0) }
        self.init(dtype: "<i4", shape: shape, data: bytes)
    }

    /// A `<i8` array.
    public init(int64 values: [Int64], shape: [Int]) {
        precondition(shape.reduce(1, *) == values.count, "shape does not match element count")
        let bytes = values.map { $0.littleEndian }.withUnsafeBufferPointer { Data(buffer: $0) }
        self.init(dtype: "<i8", shape: shape, data: bytes)
    }

    /// A `<f4` array.
    public init(float32 values: [Float], shape: [Int]) {
        precondition(shape.reduce(1, *) == values.count, "shape does not match element count")
        let bytes = values.map { $0.bitPattern.littleEndian }.withUnsafeBufferPointer { Data(buffer: $0) }
        self.init(dtype: "<f4", shape: shape, data: bytes)
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Bytes per element, or nil for an unsupported dtype.
    public var itemSize: Int? { Self.itemSize(dtype) }

    static func itemSize(_ dtype: String) -> Int? {
        switch dtype {
        case "|u1", "|i1", "|b1", "<u1", "<i1": return 1
        case "<u2", "<i2", "<f2": return 2
        case "<u4", "<i4", "<f4": return 4
        case "<u8", "<i8", "<f8": return 8
        default: return nil
        }
    }

    /// Whether the elements are integers (any width, signed or not, or bool).
    public var isInteger: Bool { dtype.dropFirst().first.map { "uib".contains($0) } ?? false }

    /// The elements widened to Int64; throws for non-integer dtypes.
    public func int64Values() throws -> [Int64] {
        guard isInteger, let size = itemSize else { throw NpyError.unsupported("expected an integer array, found dtype \(dtype)") }
        let signed = dtype.dropFirst().first == "i"
        let n = count
        var out = [Int64](repeating: 0, count: n)
        data.withUnsafeBytes { raw in
            switch (size, signed) {
            case (1, false): for i in 0..<n { out[i] = Int64(raw[i]) }
            case (1, true): for i in 0..<n { out[i] = Int64(Int8(bitPattern: raw[i])) }
            case (2, false): for i in 0..<n { out[i] = Int64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            case (2, true): for i in 0..<n { out[i] = Int64(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))) }
            case (4, false): for i in 0..<n { out[i] = Int64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            case (4, true): for i in 0..<n { out[i] = Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))) }
            case (8, false):
                for i in 0..<n { out[i] = Int64(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))) }
            default: for i in 0..<n { out[i] = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)) }
            }
        }
        return out
    }

    /// The elements as UInt8; throws if the dtype is not integer or a value is outside 0…255.
    public func uint8Values() throws -> [UInt8] {
        if dtype == "|u1" || dtype == "<u1" { return [UInt8](data) }
        return try int64Values().map { v in
            guard v >= 0 && v <= 255 else { throw NpyError.unsupported("value \(v) does not fit in 0…255") }
            return UInt8(v)
        }
    }

    /// The elements as Int32; throws if the dtype is not integer or a value does not fit.
    public func int32Values() throws -> [Int32] {
        try int64Values().map { v in
            guard let x = Int32(exactly: v) else { throw NpyError.unsupported("value \(v) does not fit in Int32") }
            return x
        }
    }

    /// The whole `.npy` file (format 1.0, header padded to a multiple of 64 bytes).
    public func encoded() -> Data {
        var out = Self.header(dtype: dtype, shape: shape)
        out.append(data)
        return out
    }

    /// The `.npy` header (magic, version 1.0, length, dictionary padded to 64 bytes).
    public static func header(dtype: String, shape: [Int]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(dtype)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let length = UInt16(header.utf8.count)
        out.append(UInt8(length & 0xFF))
        out.append(UInt8(length >> 8))
        out.append(contentsOf: header.utf8)
        return out
    }

    /// Writes `values` as a `.npy` file without building the file in memory first (large arrays);
    /// atomically, through a temporary file and a rename.
    public static func write<T: FixedWidthInteger>(_ values: [T], dtype: String, shape: [Int], to url: URL) throws {
        precondition(shape.reduce(1, *) == values.count && itemSize(dtype) == MemoryLayout<T>.size, "shape or dtype does not match the values")
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temp.path, contents: header(dtype: dtype, shape: shape)),
            let handle = FileHandle(forWritingAtPath: temp.path)
        else {
            throw NpyError.malformed("cannot create \(temp.path)")
        }
        do {
            try handle.seekToEnd()
            // Values are written in host order, which is little endian on every supported platform.
            try values.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Swift.min(1 << 26, raw.count - offset)
                    try handle.write(
                        contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress! + offset), count: n, deallocator: .none))
                    offset += n
                }
            }
            try handle.close()
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: temp, to: url)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }

    /// Parses a `.npy` file's bytes.
    public static func decode(_ file: Data) throws -> NpyArray {
        let bytes = [UInt8](file.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, bytes[1...5].elementsEqual("NUMPY".utf8) else {
            throw NpyError.malformed("not a .npy file (bad magic)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else if major == 2 || major == 3 {
            guard bytes.count >= 12 else { throw NpyError.malformed("truncated header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        } else {
            throw NpyError.unsupported("format version \(major)")
        }
        guard file.count >= headerStart + headerLength else { throw NpyError.malformed("truncated header") }
        let start = file.startIndex
        let header = String(decoding: file[(start + headerStart)..<(start + headerStart + headerLength)], as: UTF8.self)
        guard let descr = value(of: "descr", in: header)?.trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")) else {
            throw NpyError.malformed("header has no descr")
        }
        var dtype = descr
        if dtype.count == 2 { dtype = "|" + dtype }  // e.g. 'u1'
        if dtype.hasPrefix("=") { dtype = "<" + dtype.dropFirst() }
        if dtype.first == "|" && dtype.dropFirst() != "u1" && dtype.dropFirst() != "i1" && dtype.dropFirst() != "b1" {
            dtype = "<" + dtype.dropFirst()
        }
        guard let size = itemSize(dtype) else { throw NpyError.unsupported("dtype \(descr)") }
        if let fortran = value(of: "fortran_order", in: header), fortran.contains("True") {
            throw NpyError.unsupported("Fortran-order arrays")
        }
        guard let shapeText = value(of: "shape", in: header) else { throw NpyError.malformed("header has no shape") }
        let shape = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
            .split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let n = shape.reduce(1, *)
        let dataStart = start + headerStart + headerLength
        guard file.count - headerStart - headerLength >= n * size else {
            throw NpyError.malformed("file holds fewer bytes than its shape \(shape) needs")
        }
        // A slice shares the (possibly memory-mapped) file's storage instead of copying it.
        return NpyArray(dtype: dtype, shape: shape, data: file[dataStart..<(dataStart + n * size)])
    }

    /// Reads a `.npy` file.
    public static func read(_ url: URL) throws -> NpyArray {
        do {
            return try decode(try Data(contentsOf: url, options: .mappedIfSafe))
        } catch let e as NpyError {
            throw NpyError.malformed("\(url.path): \(e)")
        }
    }

    /// Writes the array to `url` atomically.
    public func write(to url: URL) throws {
        try encoded().write(to: url, options: .atomic)
    }

    private static func value(of key: String, in header: String) -> String? {
        guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
        let rest = header[keyRange.upperBound...].drop { $0 == ":" || $0 == " " }
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { return nil }
            return String(rest[...close])
        }
        let end = rest.firstIndex(of: ",") ?? rest.firstIndex(of: "}") ?? rest.endIndex
        return String(rest[..<end])
    }
}

/// A `.npy` file that cannot be read.
public enum NpyError: Error, CustomStringConvertible, Sendable {
    /// The bytes are not a valid `.npy` file.
    case malformed(String)
    /// A valid file using a feature this reader does not support.
    case unsupported(String)

    public var description: String {
        switch self {
        case let .malformed(s): return "malformed .npy: \(s)"
        case let .unsupported(s): return "unsupported .npy: \(s)"
        }
    }
}

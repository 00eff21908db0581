import CZlib
import Foundation

/// Why a gzip stream could not be produced or read.
public struct GzipError: Error, CustomStringConvertible, Equatable {
    public let description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// Gzip (RFC 1952) compression of in-memory data through zlib. The output is a standard `.gz`
/// stream: `gunzip` restores the original bytes, and reading checks the stream's CRC-32 and length.
public enum Gzip {
    /// Compresses `data` into a single gzip member.
    /// - Parameters:
    ///   - data: the bytes to compress.
    ///   - level: zlib level 0 (store) … 9 (smallest); 6 is zlib's default.
    ///   - comment: text stored in the gzip header's comment field (ASCII, no NUL), protected by
    ///     a header CRC; `decompressWithComment` returns it.
    public static func compress(_ data: Data, level: Int32 = 6, comment: String? = nil) throws -> Data {
        var stream = z_stream()
        let status = czlib_deflate_init_gzip(&stream, level)
        guard status == Z_OK else { throw GzipError("zlib refused to start compressing (status \(status))") }
        defer { deflateEnd(&stream) }
        // zlib reads the header lazily, so it and its comment must outlive every deflate call.
        let header = UnsafeMutablePointer<gz_header>.allocate(capacity: 1)
        header.initialize(to: gz_header())
        var commentBytes = Array((comment ?? "").utf8) + [0]
        defer { header.deallocate() }
        if comment != nil {
            guard !commentBytes.dropLast().contains(0) else { throw GzipError("a gzip comment cannot contain NUL bytes") }
            header.pointee.hcrc = 1
            header.pointee.os = 3  // Unix
        }
        return try commentBytes.withUnsafeMutableBufferPointer { commentBuffer in
            if comment != nil {
                header.pointee.comment = commentBuffer.baseAddress
                guard deflateSetHeader(&stream, header) == Z_OK else { throw GzipError("zlib refused the gzip header") }
            }
            return try deflateAll(data, stream: &stream)
        }
    }

    private static func deflateAll(_ data: Data, stream: inout z_stream) throws -> Data {
        var output = Data()
        let chunk = 1 << 16
        var buffer = [UInt8](repeating: 0, count: chunk)
        let input = data.isEmpty ? Data([0]) : data  // a valid pointer even for empty input
        try input.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: raw.bindMemory(to: Bytef.self).baseAddress!)
            stream.avail_in = uInt(data.count)
            var result: Int32 = Z_OK
            repeat {
                try buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    result = deflate(&stream, Z_FINISH)
                    guard result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR else {
                        throw GzipError("zlib failed while compressing (status \(result))")
                    }
                    output.append(out.baseAddress!, count: chunk - Int(stream.avail_out))
                }
            } while result != Z_STREAM_END
        }
        return output
    }

    /// Decompresses one gzip member, verifying its CRC-32 and length trailer.
    /// - Throws: `GzipError` naming what is wrong when the data is not gzip, is corrupt, is
    ///   truncated, or has bytes after the end of the stream.
    public static func decompress(_ data: Data) throws -> Data {
        try decompressWithComment(data).data
    }

    /// Decompresses one gzip member and returns the header comment too (nil when absent).
    /// - Throws: `GzipError` as `decompress` does.
    public static func decompressWithComment(_ data: Data) throws -> (data: Data, comment: String?) {
        guard data.count >= 18 else {
            throw GzipError("\(data.count) bytes is too short for a gzip stream (at least 18 bytes); the file is truncated or empty")
        }
        guard data[data.startIndex] == 0x1f, data[data.startIndex + 1] == 0x8b else {
            throw GzipError(
                String(
                    format: "not a gzip stream: starts with 0x%02x 0x%02x instead of 0x1f 0x8b",
                    data[data.startIndex], data[data.startIndex + 1]))
        }
        var stream = z_stream()
        let status = czlib_inflate_init_gzip(&stream)
        guard status == Z_OK else { throw GzipError("zlib refused to start decompressing (status \(status))") }
        defer { inflateEnd(&stream) }
        let commentCapacity = 1024
        let header = UnsafeMutablePointer<gz_header>.allocate(capacity: 1)
        header.initialize(to: gz_header())
        let commentBuffer = UnsafeMutablePointer<Bytef>.allocate(capacity: commentCapacity)
        commentBuffer.initialize(repeating: 0, count: commentCapacity)
        defer {
            header.deallocate()
            commentBuffer.deallocate()
        }
        header.pointee.comment = commentBuffer
        header.pointee.comm_max = uInt(commentCapacity - 1)
        guard inflateGetHeader(&stream, header) == Z_OK else { throw GzipError("zlib refused to read the gzip header") }

        var output = Data()
        let chunk = 1 << 16
        var buffer = [UInt8](repeating: 0, count: chunk)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: raw.bindMemory(to: Bytef.self).baseAddress!)
            stream.avail_in = uInt(data.count)
            var result: Int32 = Z_OK
            repeat {
                try buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    result = inflate(&stream, Z_NO_FLUSH)
                    let produced = chunk - Int(stream.avail_out)
                    switch result {
                    case Z_OK, Z_STREAM_END:
                        output.append(out.baseAddress!, count: produced)
                    case Z_BUF_ERROR where stream.avail_in == 0:
                        throw GzipError(
                            "gzip stream is truncated: input ended after \(data.count) bytes before the end of the stream")
                    case Z_BUF_ERROR:
                        output.append(out.baseAddress!, count: produced)
                    default:
                        let reason = stream.msg.map { String(cString: $0) } ?? "status \(result)"
                        let offset = data.count - Int(stream.avail_in)
                        throw GzipError("gzip stream is corrupt near byte \(offset): \(reason)")
                    }
                }
            } while result != Z_STREAM_END
            if stream.avail_in != 0 {
                throw GzipError("\(stream.avail_in) unexpected bytes after the end of the gzip stream")
            }
        }
        let comment =
            header.pointee.comment != nil && header.pointee.done == 1 && commentBuffer[0] != 0
            ? String(cString: commentBuffer) : nil
        return (output, comment)
    }
}

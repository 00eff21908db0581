import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why an atomic write failed. The target is left as it was.
public struct AtomicFileError: Error, CustomStringConvertible, Equatable {
    public let description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// Whole-file replacement that never leaves a half-written target: a reader sees either the old
/// file or the complete new one, even after a crash or power loss.
public enum AtomicFile {
    /// Writes `data` to a temporary file next to `url`, flushes it to disk, renames it over `url`
    /// and flushes the directory entry. Creates the parent directory if needed.
    /// - Throws: `AtomicFileError` naming the path and the system error; the temporary is removed.
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw AtomicFileError("cannot create directory \(directory.path): \(error.localizedDescription)")
        }
        // Same directory, so the rename stays on one file system and is atomic.
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UInt64.random(in: 0...UInt64.max)).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw AtomicFileError("cannot create \(temporary.path): \(Self.systemError())") }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        do {
            try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                var written = 0
                while written < raw.count {
                    let n = posixWrite(fd, raw.baseAddress!.advanced(by: written), raw.count - written)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw AtomicFileError("cannot write \(temporary.path): \(Self.systemError())")
                    }
                    written += n
                }
            }
            guard fsync(fd) == 0 else { throw AtomicFileError("cannot flush \(temporary.path): \(Self.systemError())") }
            closed = true
            guard close(fd) == 0 else { throw AtomicFileError("cannot close \(temporary.path): \(Self.systemError())") }
            guard rename(temporary.path, url.path) == 0 else {
                throw AtomicFileError("cannot rename \(temporary.path) to \(url.path): \(Self.systemError())")
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
        // Persist the rename itself; failure here does not undo a completed write.
        let directoryFD = open(directory.path, O_RDONLY)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    #if canImport(Glibc)
        private static let posixWrite = Glibc.write
    #else
        private static let posixWrite = Darwin.write
    #endif

    private static func systemError() -> String { String(cString: strerror(errno)) }
}

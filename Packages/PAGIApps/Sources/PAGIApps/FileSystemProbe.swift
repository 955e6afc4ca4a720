#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system questions the static-files app asks, over raw path bytes (Linux file
/// names are bytes, not text). Each call keeps its C pointers inside one small function.
enum FileSystemProbe {
    enum Kind: Sendable, Hashable {
        case regular
        case directory
        /// FIFO, socket, device: never served (opening a FIFO for reading would block).
        case other
    }

    struct Status: Sendable, Hashable {
        var kind: Kind
        var size: Int64
        var inode: UInt64
        /// Modification time, whole seconds since the epoch.
        var modificationSeconds: Int64
        /// Modification time in nanoseconds since the epoch.
        var modificationNanoseconds: Int64
    }

    /// `realpath(3)`: the absolute path with every symlink, `.` and `..` resolved.
    /// - Returns: The resolved bytes, or the `errno` of the failure.
    static func realPath(_ path: [UInt8]) -> Result<[UInt8], SystemErrno> {
        let cPath = path + [0]
        return cPath.withUnsafeBufferPointer { buffer -> Result<[UInt8], SystemErrno> in
            guard let base = buffer.baseAddress,
                let resolved = base.withMemoryRebound(to: CChar.self, capacity: buffer.count, { realpath($0, nil) })
            else {
                return .failure(SystemErrno(errno))
            }
            defer { free(resolved) }
            let length = strlen(resolved)
            return .success(Array(UnsafeRawBufferPointer(start: resolved, count: length)))
        }
    }

    /// `stat(2)`, following symlinks.
    static func status(_ path: [UInt8]) -> Result<Status, SystemErrno> {
        let cPath = path + [0]
        var info = stat()
        let result = cPath.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { stat($0, &info) }
        }
        guard result == 0 else { return .failure(SystemErrno(errno)) }
        let kind: Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return .success(
            Status(
                kind: kind,
                size: Int64(info.st_size),
                inode: UInt64(info.st_ino),
                modificationSeconds: Int64(modified.tv_sec),
                modificationNanoseconds: Int64(modified.tv_sec) &* 1_000_000_000 &+ Int64(modified.tv_nsec)
            )
        )
    }

    /// Whether this process may open the file for reading: opens it and closes it again, so a
    /// file the server could not open is refused before any response header is sent.
    /// - Returns: `nil` when it can, else the `errno` of the failed `open`.
    static func openFailure(_ path: [UInt8]) -> SystemErrno? {
        let cPath = path + [0]
        let descriptor = cPath.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            // O_NONBLOCK: should the file have turned into a FIFO since `stat`, do not hang here.
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            }
        }
        guard descriptor >= 0 else { return SystemErrno(errno) }
        close(descriptor)
        return nil
    }
}

/// An `errno` value with the names the static-files app distinguishes.
struct SystemErrno: Error, Sendable, Hashable, CustomStringConvertible {
    var code: Int32

    init(_ code: Int32) {
        self.code = code
    }

    /// Permission denied or a symlink loop: the path exists but must not be served.
    var meansForbidden: Bool { self.code == EACCES || self.code == EPERM || self.code == ELOOP }

    var description: String {
        guard let text = strerror(self.code) else { return "errno \(self.code)" }
        return String(cString: text)
    }
}

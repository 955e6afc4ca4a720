#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// start_server's `--pid-file`: holds the supervisor's pid under an exclusive `flock` for its whole life, so a
/// second instance fails fast and `--stop` can wait for the lock to be released.
public final class PidFile {
    /// The file's path.
    public let path: String
    let descriptor: Int32

    /// Opens and locks `path`; the pid is written later with ``write(pid:)`` (after daemonizing).
    ///
    /// - Throws: ``ServerStarterError/pidFileLocked(path:)`` when another process holds the lock, or
    ///   ``ServerStarterError/cannotOpen(path:purpose:reason:)``.
    public init(lockingAt path: String) throws(ServerStarterError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: path, purpose: "pid file", reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw .pidFileLocked(path: path)
        }
        self.path = path
        self.descriptor = descriptor
    }

    /// Replaces the file's content with `pid` and a newline.
    public func write(pid: Int32) throws(ServerStarterError) {
        let text = Array("\(pid)\n".utf8)
        let written = text.withUnsafeBytes { raw in
            ftruncate(self.descriptor, 0) == 0 ? pwrite(self.descriptor, raw.baseAddress, raw.count, 0) : -1
        }
        guard written == text.count else {
            throw .cannotOpen(path: self.path, purpose: "pid file", reason: String(cString: strerror(errno)))
        }
    }

    /// Removes the file; the lock goes with the descriptor when the process exits.
    public func remove() {
        unlink(self.path)
    }

    /// Reads the pid stored in `path`, or `nil`.
    public static func readPid(_ path: String) -> Int32? {
        guard let text = StatusFile.read(path) else { return nil }
        return text.split(whereSeparator: \.isWhitespace).first.flatMap { Int32($0) }
    }

    /// Blocks until no process holds the lock on `path` (or the file is gone): the server has exited.
    ///
    /// - Parameter descriptor: the file opened *before* signalling the server, so its removal cannot race us.
    static func waitForRelease(descriptor: Int32) {
        while flock(descriptor, LOCK_SH) == -1 && errno == EINTR {}
    }
}

@available(*, unavailable)
extension PidFile: Sendable {}

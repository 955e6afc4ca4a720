import Glibc
import Synchronization

/// Serialises our own umask changes: `umask` is process-wide, and two binds racing would restore
/// each other's saved value and leave the process with 0177 for good.
private let umaskLock = Mutex(())

/// Binds one unix-domain listener: stale-file cleanup, restrictive umask around `bind`, `chmod`.
struct UnixListenerBinder {
    /// Runs `body` while no bind of ours has the umask changed (tests read the umask through this).
    static func withUmaskLock<Result>(_ body: () -> Result) -> Result {
        umaskLock.withLock { _ in body() }
    }

    let path: String
    let configuration: ListenerConfiguration

    private var isAbstract: Bool { self.path.hasPrefix("@") }
    private var subject: String { "unix listener '\(self.path)'" }

    func bind() throws(FDInheritanceError) -> ListeningSocket {
        let address = try SocketAddressStorage(unixPath: self.path)
        let replacedStale = self.isAbstract ? false : try self.removeStaleSocketFile()
        let fd = try SystemCall.run("socket", self.subject) { socket(AF_UNIX, SocketType.stream | SocketType.closeOnExec, 0) }
        var boundFile = false
        do {
            try umaskLock.withLock { (_) throws(FDInheritanceError) in
                // Bind under 0177 so the file is never, even briefly, reachable by others before chmod.
                let saved = umask(0o177)
                defer { umask(saved) }
                _ = try address.withSockAddr { (pointer, length) throws(FDInheritanceError) in
                    try SystemCall.run("bind", self.subject, descriptor: .owned) { Glibc.bind(fd, pointer, length) }
                }
            }
            boundFile = !self.isAbstract
            if !self.isAbstract, self.configuration.unixSocketMode != 0o600 {
                _ = try SystemCall.run("chmod(\(String(self.configuration.unixSocketMode, radix: 8)))", self.subject) {
                    chmod(self.path, mode_t(self.configuration.unixSocketMode))
                }
            }
            _ = try SystemCall.run("listen", self.subject, descriptor: .owned) { listen(fd, self.configuration.backlog) }
            let createdFile = try self.isAbstract ? nil : self.identify()
            let bound = try SocketInspector.boundAddress(of: fd, subject: self.subject, descriptor: .owned)
            return ListeningSocket(
                adopting: fd,
                address: bound,
                kind: .stream,
                origin: .created,
                createdFile: createdFile,
                replacedStaleSocketFile: replacedStale
            )
        } catch {
            try? SystemCall.close(fd)
            if boundFile { _ = try? SystemCall.run("unlink", "half-created socket file '\(self.path)'") { unlink(self.path) } }
            throw error
        }
    }

    /// Removes a socket file nobody serves; refuses anything else at the path.
    ///
    /// REF unlinks whatever is at the path (a regular file included, ⚠); we only remove sockets,
    /// and only when a connect attempt is refused, so a typo cannot delete data and a second
    /// server cannot steal a live one's path.
    private func removeStaleSocketFile() throws(FDInheritanceError) -> Bool {
        var info = stat()
        do {
            _ = try SystemCall.run("lstat", "unix listener path '\(self.path)'") { lstat(self.path, &info) }
        } catch where error.errno == ENOENT {
            return false
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw FDInheritanceError(
                .unixPathInUse,
                "cannot bind \(self.subject): the path exists and is not a socket; remove it or choose another path"
            )
        }
        guard self.configuration.removesStaleUnixSocket else {
            throw FDInheritanceError(
                .unixPathInUse,
                "cannot bind \(self.subject): a socket file already exists and stale-socket removal is off; remove it first"
            )
        }
        if try self.someoneAccepts() {
            throw FDInheritanceError(
                .unixPathInUse,
                "cannot bind \(self.subject): a running server accepts connections on it; stop it or choose another path"
            )
        }
        do {
            _ = try SystemCall.run("unlink", "stale socket file '\(self.path)'") { unlink(self.path) }
        } catch where error.errno == ENOENT {
            return false
        }
        return true
    }

    private func someoneAccepts() throws(FDInheritanceError) -> Bool {
        let address = try SocketAddressStorage(unixPath: self.path)
        let probe = try SystemCall.run("socket", self.subject) { socket(AF_UNIX, SocketType.stream | SocketType.closeOnExec, 0) }
        defer { try? SystemCall.close(probe) }
        do {
            _ = try address.withSockAddr { (pointer, length) throws(FDInheritanceError) in
                try SystemCall.run("connect", "stale-socket probe of '\(self.path)'", descriptor: .owned) { connect(probe, pointer, length) }
            }
            return true
        } catch where error.errno == ECONNREFUSED || error.errno == ENOENT {
            return false
        }
    }

    private func identify() throws(FDInheritanceError) -> CreatedSocketFile {
        var info = stat()
        _ = try SystemCall.run("lstat", "socket file '\(self.path)'") { lstat(self.path, &info) }
        return CreatedSocketFile(path: self.path, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

import Glibc
import Synchronization

/// An open listening socket and the one owner of its descriptor.
///
/// Obtain one by binding (``bind(_:configuration:)``) or by adopting an inherited descriptor
/// (``InheritedListenerDiscovery``). Descriptors are close-on-exec from the moment they exist; call
/// ``setInheritable(_:)`` on the ones you mean to pass to a child, just before spawning it.
///
/// - Important: Exactly one owner closes a descriptor. Either call ``close(removingSocketFile:)``
///   or hand the descriptor to another owner (a SwiftNIO channel) with
///   ``takeDescriptorOwnership()``. A socket dropped while still open trips an assertion in debug
///   builds, because the leaked descriptor would keep the port bound.
/// - Note: A unix socket file this process created is removed by ``close(removingSocketFile:)``
///   (unless told not to, as a hot-restarting master does), and only if the file on disk is still
///   the one bound here. Inherited sockets never remove files: whoever created them owns the path.
public final class ListeningSocket: Sendable {
    /// Where a socket came from.
    public enum Origin: Sendable, Hashable, CustomStringConvertible {
        /// Bound and listening by this process.
        case created
        /// Adopted from a descriptor handed down by a parent.
        case inherited(InheritanceSource)

        /// `created` or `inherited via <source>`.
        public var description: String {
            switch self {
            case .created: "created"
            case .inherited(let source): "inherited via \(source)"
            }
        }
    }

    /// The address the kernel reports for the socket (the real port when bound to port 0).
    public let address: ListenerAddress
    /// The socket type.
    public let kind: SocketKind
    /// Whether this process created the socket or inherited it.
    public let origin: Origin
    /// `true` when binding removed a stale socket file left by a dead server at the path; callers
    /// log a warning, as start_server does.
    public let replacedStaleSocketFile: Bool

    private let state: Mutex<State>
    private let createdFile: CreatedSocketFile?

    private enum State {
        case open(Int32)
        case released(Int32)
        case closed(Int32)
    }

    init(
        adopting descriptor: Int32,
        address: ListenerAddress,
        kind: SocketKind,
        origin: Origin,
        createdFile: CreatedSocketFile? = nil,
        replacedStaleSocketFile: Bool = false
    ) {
        self.state = Mutex(.open(descriptor))
        self.address = address
        self.kind = kind
        self.origin = origin
        self.createdFile = createdFile
        self.replacedStaleSocketFile = replacedStaleSocketFile
    }

    deinit {
        if case .open(let fd) = self.state.withLock({ $0 }) {
            assertionFailure(
                "leaked open ListeningSocket fd \(fd) (\(self.address)): call close() or takeDescriptorOwnership() before dropping it"
            )
        }
    }

    /// The descriptor number.
    ///
    /// - Important: Valid only while the socket is open; reading it after ``close(removingSocketFile:)``
    ///   or ``takeDescriptorOwnership()`` is a programming error and traps.
    public var descriptor: Int32 {
        self.state.withLock { state in
            switch state {
            case .open(let fd): return fd
            case .released(let fd), .closed(let fd):
                preconditionFailure("ListeningSocket fd \(fd) (\(self.address)) used after it was closed or handed over")
            }
        }
    }

    /// Whether the descriptor is still owned and open.
    public var isOpen: Bool {
        self.state.withLock { state in
            if case .open = state { return true }
            return false
        }
    }

    /// Gives the descriptor to a new owner (for example `ServerBootstrap.withBoundSocket`), which
    /// becomes responsible for closing it. A socket file this process created can still be removed
    /// later with ``removeSocketFile()``.
    ///
    /// - Returns: The descriptor number.
    /// - Throws: ``FDInheritanceError/Code/alreadyClosed`` if it was closed or handed over before.
    public func takeDescriptorOwnership() throws(FDInheritanceError) -> Int32 {
        try self.state.withLock { (state) throws(FDInheritanceError) -> Int32 in
            switch state {
            case .open(let fd):
                state = .released(fd)
                return fd
            case .released(let fd), .closed(let fd):
                throw FDInheritanceError(.alreadyClosed, "fd \(fd) (\(self.address)) was already closed or handed over; it has one owner")
            }
        }
    }

    /// Closes the descriptor and, unless told otherwise, removes the unix socket file this process created.
    ///
    /// - Parameter removingSocketFile: Pass `false` when a successor process keeps serving the same
    ///   socket (hot restart) so its path must survive.
    /// - Throws: ``FDInheritanceError/Code/alreadyClosed`` on a second close; a system-call error if
    ///   `close` fails for another reason.
    public func close(removingSocketFile: Bool = true) throws(FDInheritanceError) {
        let fd = try self.state.withLock { (state) throws(FDInheritanceError) -> Int32 in
            switch state {
            case .open(let fd):
                state = .closed(fd)
                return fd
            case .released(let fd), .closed(let fd):
                throw FDInheritanceError(.alreadyClosed, "fd \(fd) (\(self.address)) was already closed or handed over; it has one owner")
            }
        }
        try SystemCall.close(fd)
        if removingSocketFile {
            try self.removeSocketFile()
        }
    }

    /// Removes the unix socket file this process created, if it is still the same file.
    ///
    /// Does nothing for TCP, UDP, abstract and inherited sockets, or when the path now holds a
    /// different file (a newer server bound it after us, which must keep working).
    /// - Throws: A system-call error if `unlink` fails for a reason other than the file being gone.
    public func removeSocketFile() throws(FDInheritanceError) {
        guard let createdFile else { return }
        try createdFile.removeIfUnchanged()
    }

    /// Sets or clears `FD_CLOEXEC` — whether the descriptor survives `exec` into a child.
    ///
    /// - Parameter inheritable: `true` to let the next exec'd child inherit the descriptor.
    /// - Throws: A system-call error naming the descriptor.
    public func setInheritable(_ inheritable: Bool) throws(FDInheritanceError) {
        let fd = self.descriptor
        let flags = try SystemCall.run("fcntl(F_GETFD)", "fd \(fd) (\(self.address))", descriptor: .owned) { fcntl(fd, F_GETFD) }
        let updated = inheritable ? flags & ~FD_CLOEXEC : flags | FD_CLOEXEC
        guard updated != flags else { return }
        _ = try SystemCall.run("fcntl(F_SETFD)", "fd \(fd) (\(self.address))", descriptor: .owned) { fcntl(fd, F_SETFD, updated) }
    }

    /// Whether the descriptor survives `exec` (its `FD_CLOEXEC` flag is clear).
    /// - Throws: A system-call error naming the descriptor.
    public func isInheritable() throws(FDInheritanceError) -> Bool {
        let fd = self.descriptor
        let flags = try SystemCall.run("fcntl(F_GETFD)", "fd \(fd) (\(self.address))", descriptor: .owned) { fcntl(fd, F_GETFD) }
        return flags & FD_CLOEXEC == 0
    }

    /// Duplicates the socket onto a chosen descriptor number (start_server's `--port=8080=N`).
    ///
    /// - Parameters:
    ///   - target: The descriptor number the copy must have.
    ///   - inheritable: Whether the copy survives `exec`; `dup3` sets the flag atomically.
    /// - Returns: A new owner for `target`, or this socket itself when it already is `target`.
    /// - Throws: A system-call error naming both descriptors.
    /// - Warning: Whatever `target` referred to before is closed by the kernel, as `dup2` does; be
    ///   sure no one else owns it (fd 0 is the usual deliberate choice).
    public func duplicate(onto target: Int32, inheritable: Bool = true) throws(FDInheritanceError) -> ListeningSocket {
        let fd = self.descriptor
        if fd == target {
            try self.setInheritable(inheritable)
            return self
        }
        _ = try SystemCall.run("dup3", "fd \(fd) onto fd \(target)", descriptor: .owned) {
            Dup3.call(fd, target, inheritable ? 0 : Int32(O_CLOEXEC))
        }
        return ListeningSocket(adopting: target, address: self.address, kind: self.kind, origin: self.origin)
    }
}

/// The identity of a unix socket file at the moment we bound it, so removal never hits a successor's file.
struct CreatedSocketFile: Sendable {
    let path: String
    let device: UInt64
    let inode: UInt64

    func removeIfUnchanged() throws(FDInheritanceError) {
        var info = stat()
        do {
            _ = try SystemCall.run("lstat", "socket file '\(self.path)'") { lstat(self.path, &info) }
        } catch where error.errno == ENOENT {
            return
        }
        guard UInt64(info.st_dev) == self.device, UInt64(info.st_ino) == self.inode else { return }
        do {
            _ = try SystemCall.run("unlink", self.path) { unlink(self.path) }
        } catch where error.errno == ENOENT {
            return
        }
    }
}

/// `dup3(2)`, which Swift's Glibc module hides behind `_GNU_SOURCE`.
///
/// `dup2` followed by `F_SETFD` would leave a window in which a concurrent `fork`+`exec` leaks the
/// new descriptor into an unrelated child; `dup3` sets the flag atomically.
enum Dup3 {
    typealias Function = @convention(c) (Int32, Int32, Int32) -> Int32

    static let call: Function = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "dup3") else {
            preconditionFailure("glibc has exported dup3 since 2.9; this C library lacks it")
        }
        return unsafeBitCast(symbol, to: Function.self)
    }()
}

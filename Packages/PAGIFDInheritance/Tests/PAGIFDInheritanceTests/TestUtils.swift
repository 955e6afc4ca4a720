// Shared helpers for the PAGIFDInheritance tests: temporary directories, raw client sockets,
// descriptor probes and the pagi-fd-probe child process.

import Glibc
import PAGIFDInheritance
import Testing

/// A private directory under /tmp, removed with its contents on deinit.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/pagi-fd-test-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard created != nil else { throw TestFailure("mkdtemp failed: errno \(errno)") }
        self.path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        if let directory = opendir(self.path) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
                if name != "." && name != ".." { unlink(self.path + "/" + name) }
            }
            closedir(directory)
        }
        rmdir(self.path)
    }
}

/// A test failure with a message.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Client connections, raw so tests see exactly what a peer sees.
enum Client {
    /// Connects a stream socket to `address`, returning the client descriptor.
    static func connect(to address: ListenerAddress) throws -> Int32 {
        switch address {
        case .ipv4(let host, let port):
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            inet_pton(AF_INET, host, &sin.sin_addr)
            return try Self.connect(family: AF_INET, type: Int32(SOCK_STREAM.rawValue), &sin)
        case .ipv6(let host, let port):
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &sin6.sin6_addr)
            return try Self.connect(family: AF_INET6, type: Int32(SOCK_STREAM.rawValue), &sin6)
        case .unix(let path):
            var sun = sockaddr_un()
            sun.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(path.utf8)
            if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
            withUnsafeMutableBytes(of: &sun.sun_path) { $0.copyBytes(from: bytes) }
            let length = 2 + bytes.count + (bytes.first == 0 ? 0 : 1)
            return try Self.connect(family: AF_UNIX, type: Int32(SOCK_STREAM.rawValue), &sun, length: length)
        }
    }

    /// Sends one datagram to a UDP `address` and returns the reply.
    static func exchangeDatagram(with address: ListenerAddress) throws -> String {
        guard case .ipv6(let host, let port) = address else { throw TestFailure("datagram helper expects IPv6, got \(address)") }
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = port.bigEndian
        inet_pton(AF_INET6, host, &sin6.sin6_addr)
        let fd = try Self.connect(family: AF_INET6, type: Int32(SOCK_DGRAM.rawValue), &sin6)
        defer { close(fd) }
        _ = send(fd, "ping", 4, 0)
        return try readAll(fd, untilClosed: false)
    }

    private static func connect<T>(family: Int32, type: Int32, _ address: inout T, length: Int = MemoryLayout<T>.size) throws -> Int32 {
        let fd = socket(family, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed: errno \(errno)") }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(length)) }
        }
        guard result == 0 else {
            let error = errno
            close(fd)
            throw TestFailure("connect failed: errno \(error)")
        }
        return fd
    }
}

/// Reads from `fd` until EOF (or, for datagrams, one message), failing after `timeout` milliseconds.
func readAll(_ fd: Int32, untilClosed: Bool = true, timeout: Int32 = 10_000) throws -> String {
    var collected: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, timeout)
        if ready < 0 && errno == EINTR { continue }
        guard ready > 0 else { throw TestFailure("no data on fd \(fd) within \(timeout) ms; got so far: \(String(decoding: collected, as: UTF8.self))") }
        let count = read(fd, &buffer, buffer.count)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { break }
        collected.append(contentsOf: buffer[0..<count])
        if !untilClosed { break }
    }
    return String(decoding: collected, as: UTF8.self)
}

/// Whether `fd` is open in this process.
func isOpen(_ fd: Int32) -> Bool {
    fcntl(fd, F_GETFD) != -1
}

/// Whether `fd` has FD_CLOEXEC set.
func isCloseOnExec(_ fd: Int32) -> Bool {
    fcntl(fd, F_GETFD) & FD_CLOEXEC != 0
}

/// An integer socket option of `fd`.
func socketOption(_ fd: Int32, level: Int32, _ option: Int32) -> Int32 {
    var value: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    getsockopt(fd, level, option, &value, &length)
    return value
}

/// A descriptor number that is not open here. Drawn at random far above anything the tests
/// open, because tests run in parallel and a fixed number could be taken by a neighbour meanwhile.
func unusedDescriptor() -> Int32 {
    while true {
        let fd = Int32.random(in: 1_000_000..<2_000_000)
        if !isOpen(fd) { return fd }
    }
}

/// Reserves a free descriptor number (a close-on-exec `/dev/null`) for a test to `dup3` onto,
/// so two parallel tests never pick the same target.
func reserveDescriptor() throws -> Int32 {
    let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
    guard null >= 0 else { throw TestFailure("open /dev/null: errno \(errno)") }
    defer { close(null) }
    let fd = fcntl(null, F_DUPFD_CLOEXEC, 600)
    guard fd >= 0 else { throw TestFailure("F_DUPFD_CLOEXEC: errno \(errno)") }
    return fd
}

/// Binds a fresh listener and gives up its ownership, so the descriptor can be "inherited" by
/// ``InheritedListenerDiscovery`` in-process, as if a parent had left it open across exec.
func strayListener(_ spec: ListenerSpec) throws -> (fd: Int32, address: ListenerAddress) {
    let socket = try ListeningSocket.bind(spec)
    let address = socket.address
    return (try socket.takeDescriptorOwnership(), address)
}

/// The built `pagi-fd-probe` next to the test bundle (SwiftPM puts products side by side).
func probeExecutable() throws -> String {
    if let path = getenv("PAGI_FD_PROBE") { return String(cString: path) }
    var directory = CommandLine.arguments[0]
    while let slash = directory.lastIndex(of: "/") {
        directory = String(directory[..<slash])
        let candidate = directory + "/pagi-fd-probe"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    throw TestFailure("pagi-fd-probe not found next to \(CommandLine.arguments[0]); build it or set PAGI_FD_PROBE")
}

/// A spawned child whose stdout and stderr are read line by line.
final class ChildProcess {
    let pid: pid_t
    private let output: Int32
    private var pending: [UInt8] = []
    private(set) var lines: [String] = []

    /// Spawns `path` with exactly `environment`, placing each `(source, target)` descriptor at `target`
    /// (inheritable) in the child. `shellPrelude`, when given, runs `/bin/sh -c` first so the child can
    /// learn its own pid (`LISTEN_PID=$$`) before exec'ing `path` under the same pid.
    init(_ path: String, environment: [String: String], descriptors: [(source: Int32, target: Int32)], shellPrelude: String? = nil) throws {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe2(&pipeFDs, O_CLOEXEC) == 0 else { throw TestFailure("pipe2 failed: errno \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Stage through high numbers first so a target equal to another source is never clobbered.
        for (index, pair) in descriptors.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, pair.source, 500 + Int32(index))
        }
        for (index, pair) in descriptors.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, 500 + Int32(index), pair.target)
            posix_spawn_file_actions_addclose(&actions, 500 + Int32(index))
        }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 2)
        let argv: [String] = if let shellPrelude { ["/bin/sh", "-c", "\(shellPrelude); exec \"$0\"", path] } else { [path] }
        let env = environment.map { "\($0.key)=\($0.value)" }
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer {
            for pointer in cArgv { free(pointer) }
            for pointer in cEnv { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, argv[0], &actions, nil, &cArgv, &cEnv)
        close(pipeFDs[1])
        guard status == 0 else {
            close(pipeFDs[0])
            throw TestFailure("posix_spawn \(argv[0]) failed: \(status)")
        }
        self.pid = pid
        self.output = pipeFDs[0]
    }

    deinit {
        close(self.output)
    }

    /// Reads until a line starting with `prefix` arrives, returning it.
    @discardableResult
    func waitForLine(startingWith prefix: String) throws -> String {
        while true {
            if let line = self.lines.first(where: { $0.hasPrefix(prefix) }) { return line }
            let chunk = try readAll(self.output, untilClosed: false)
            if chunk.isEmpty { throw TestFailure("child exited before printing '\(prefix)…'; output: \(self.lines)") }
            self.pending += Array(chunk.utf8)
            while let newline = self.pending.firstIndex(of: UInt8(ascii: "\n")) {
                self.lines.append(String(decoding: self.pending[..<newline], as: UTF8.self))
                self.pending.removeSubrange(...newline)
            }
        }
    }

    /// Reads the remaining output and waits for the exit status.
    func finish() throws -> Int32 {
        let rest = try readAll(self.output)
        self.pending += Array(rest.utf8)
        for line in String(decoding: self.pending, as: UTF8.self).split(separator: "\n") { self.lines.append(String(line)) }
        self.pending = []
        var status: Int32 = 0
        while waitpid(self.pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

/// `pipe2(2)`, hidden by Swift's Glibc module; close-on-exec must be atomic here because other
/// tests spawn children concurrently and a leaked write end would hold our pipe open.
func pipe2(_ fds: inout [Int32], _ flags: Int32) -> Int32 {
    typealias Function = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2") else { return -1 }
    let function = unsafeBitCast(symbol, to: Function.self)
    return fds.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return -1 }
        return function(base, flags)
    }
}

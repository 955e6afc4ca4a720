import Glibc
import Testing

@testable import PAGIFDInheritance

@Suite struct ListeningSocketTests {
    // MARK: TCP and UDP

    @Test func bindsIPv4CloseOnExecAndListening() throws {
        let socket = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        defer { try? socket.close() }
        guard case .ipv4(let host, let port) = socket.address else { throw TestFailure("unexpected \(socket.address)") }
        #expect(host == "127.0.0.1" && port != 0)
        #expect(socket.kind == .stream && socket.origin == .created)
        #expect(isCloseOnExec(socket.descriptor))
        #expect(try !socket.isInheritable())
        #expect(socketOption(socket.descriptor, level: SOL_SOCKET, SO_ACCEPTCONN) == 1)
        #expect(socketOption(socket.descriptor, level: SOL_SOCKET, SO_REUSEADDR) == 1)
        #expect(socketOption(socket.descriptor, level: SOL_SOCKET, SO_REUSEPORT) == 0)
        let client = try Client.connect(to: socket.address)
        close(client)
    }

    @Test func reuseAddressCanBeTurnedOff() throws {
        let socket = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0), configuration: .init(reuseAddress: false))
        defer { try? socket.close() }
        #expect(socketOption(socket.descriptor, level: SOL_SOCKET, SO_REUSEADDR) == 0)
    }

    @Test func reusePortLetsTwoSocketsShareAPort() throws {
        let configuration = ListenerConfiguration(reusePort: true)
        let first = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0), configuration: configuration)
        defer { try? first.close() }
        #expect(socketOption(first.descriptor, level: SOL_SOCKET, SO_REUSEPORT) == 1)
        let port = try #require(first.address.port)
        let second = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: port), configuration: configuration)
        defer { try? second.close() }
        #expect(second.address == first.address)
    }

    @Test func portInUseNamesTheListenerAndErrno() throws {
        let first = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        defer { try? first.close() }
        let port = try #require(first.address.port)
        #expect {
            try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: port))
        } throws: { error in
            guard let error = error as? FDInheritanceError else { return false }
            return error.code == .systemCallFailed && error.errno == EADDRINUSE && error.description.contains("bind failed for listener '127.0.0.1:\(port)'")
        }
    }

    @Test func ipv6IsV6OnlySoTheIPv4WildcardStaysFree() throws {
        let v6 = try ListeningSocket.bind(.tcp(host: "::", port: 0))
        defer { try? v6.close() }
        #expect(socketOption(v6.descriptor, level: Int32(IPPROTO_IPV6), IPV6_V6ONLY) == 1)
        let port = try #require(v6.address.port)
        #expect(v6.address == .ipv6(host: "::", port: port))
        let v4 = try ListeningSocket.bind(.tcp(host: nil, port: port))
        defer { try? v4.close() }
        #expect(v4.address == .ipv4(host: "0.0.0.0", port: port))
    }

    @Test func hostNamesAreResolved() throws {
        let socket = try ListeningSocket.bind(.tcp(host: "localhost", port: 0))
        defer { try? socket.close() }
        switch socket.address {
        case .ipv4(let host, _): #expect(host == "127.0.0.1")
        case .ipv6(let host, _): #expect(host == "::1")
        case .unix: Issue.record("localhost bound a unix socket")
        }
    }

    @Test func unresolvableHostIsAnError() {
        #expect {
            try ListeningSocket.bind(.tcp(host: "no-such-host.invalid", port: 0))
        } throws: { error in
            guard let error = error as? FDInheritanceError else { return false }
            return error.code == .addressResolutionFailed && error.description.contains("'no-such-host.invalid'")
        }
    }

    @Test func udpIsBoundButNotListening() throws {
        let socket = try ListeningSocket.bind(.udp(host: "::1", port: 0))
        defer { try? socket.close() }
        #expect(socket.kind == .datagram)
        #expect(socketOption(socket.descriptor, level: SOL_SOCKET, SO_TYPE) == Int32(SOCK_DGRAM.rawValue))
        #expect(socket.address.port != 0)
    }

    // MARK: Unix sockets

    @Test func unixSocketDefaultsToOwnerOnlyAndRestoresUmask() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/a.sock"
        // The umask is process-wide and concurrent tests bind unix sockets: read and set it only
        // while no bind has it changed.
        let before = UnixListenerBinder.withUmaskLock { umask(0o022) }
        defer { UnixListenerBinder.withUmaskLock { _ = umask(before) } }
        let socket = try ListeningSocket.bind(.unix(path: path))
        defer { try? socket.close() }
        #expect(socket.address == .unix(path: path))
        #expect(!socket.replacedStaleSocketFile)
        #expect(try fileMode(path) == 0o600)
        #expect(UnixListenerBinder.withUmaskLock { umask(0o022) } == 0o022)
        close(try Client.connect(to: socket.address))
    }

    @Test func unixSocketModeIsApplied() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/a.sock"
        let socket = try ListeningSocket.bind(.unix(path: path), configuration: .init(unixSocketMode: 0o777))
        defer { try? socket.close() }
        #expect(try fileMode(path) == 0o777)
    }

    @Test func staleSocketFileIsReplaced() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/a.sock"
        let dead = try ListeningSocket.bind(.unix(path: path))
        try dead.close(removingSocketFile: false)
        #expect(access(path, F_OK) == 0)
        let socket = try ListeningSocket.bind(.unix(path: path))
        defer { try? socket.close() }
        #expect(socket.replacedStaleSocketFile)
        close(try Client.connect(to: socket.address))
    }

    @Test func liveServersSocketIsNotStolen() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/a.sock"
        let live = try ListeningSocket.bind(.unix(path: path))
        defer { try? live.close() }
        #expect {
            try ListeningSocket.bind(.unix(path: path))
        } throws: { error in
            guard let error = error as? FDInheritanceError else { return false }
            return error.code == .unixPathInUse && error.description.contains("a running server accepts connections on it")
        }
        close(try Client.connect(to: live.address))
    }

    @Test func regularFileIsNeverRemoved() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/data"
        let file = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
        // Explicitly, not through open's mode: a concurrent test's unix bind may be holding the
        // process-wide umask at 0177 at this instant (seen in CI: the file came out 0600).
        fchmod(file, 0o644)
        close(file)
        #expect {
            try ListeningSocket.bind(.unix(path: path))
        } throws: { error in
            guard let error = error as? FDInheritanceError else { return false }
            return error.code == .unixPathInUse && error.description.contains("is not a socket")
        }
        #expect(try fileMode(path) == 0o644)
    }

    @Test func staleRemovalCanBeTurnedOff() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/a.sock"
        let dead = try ListeningSocket.bind(.unix(path: path))
        try dead.close(removingSocketFile: false)
        #expect {
            try ListeningSocket.bind(.unix(path: path), configuration: .init(removesStaleUnixSocket: false))
        } throws: { error in
            (error as? FDInheritanceError)?.code == .unixPathInUse
        }
    }

    @Test func pathLengthLimit() throws {
        let directory = try TemporaryDirectory()
        let prefix = directory.path + "/"
        let longest = prefix + String(repeating: "p", count: 107 - prefix.utf8.count)
        let socket = try ListeningSocket.bind(.unix(path: longest))
        defer { try? socket.close() }
        #expect(socket.address == .unix(path: longest))
        #expect {
            try ListeningSocket.bind(.unix(path: longest + "q"))
        } throws: { error in
            guard let error = error as? FDInheritanceError else { return false }
            return error.code == .invalidUnixPath && error.description.contains("108 bytes")
        }
    }

    @Test func abstractNamesLeaveNoFile() throws {
        let name = "@pagi-fd-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let socket = try ListeningSocket.bind(.unix(path: name))
        #expect(socket.address == .unix(path: name))
        close(try Client.connect(to: socket.address))
        try socket.close()
    }

    @Test func emptyUnixPathIsRejected() {
        #expect(throws: FDInheritanceError.self) { try ListeningSocket.bind(.unix(path: "@")) }
        #expect(throws: FDInheritanceError.self) { try ListeningSocket.bind(.unix(path: "")) }
    }

    @Test func closeRemovesOwnFileUnlessToldNot() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/a.sock"
        let socket = try ListeningSocket.bind(.unix(path: path))
        try socket.close()
        #expect(access(path, F_OK) != 0)

        let kept = try ListeningSocket.bind(.unix(path: path))
        try kept.close(removingSocketFile: false)
        #expect(access(path, F_OK) == 0)
    }

    @Test func closeLeavesASuccessorsFileAlone() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/a.sock"
        let old = try ListeningSocket.bind(.unix(path: path))
        unlink(path)
        let successor = try ListeningSocket.bind(.unix(path: path))
        defer { try? successor.close() }
        try old.close()
        #expect(access(path, F_OK) == 0)
        close(try Client.connect(to: successor.address))
    }

    // MARK: Ownership and handing over

    @Test func secondCloseAndLateHandOverAreErrors() throws {
        let socket = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        try socket.close()
        #expect(!socket.isOpen)
        #expect { try socket.close() } throws: { ($0 as? FDInheritanceError)?.code == .alreadyClosed }
        #expect { try socket.takeDescriptorOwnership() } throws: { ($0 as? FDInheritanceError)?.code == .alreadyClosed }
    }

    @Test func takingOwnershipLeavesTheDescriptorOpenForTheNewOwner() throws {
        let socket = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        let fd = try socket.takeDescriptorOwnership()
        defer { close(fd) }
        #expect(isOpen(fd))
        #expect(!socket.isOpen)
        #expect { try socket.close() } throws: { ($0 as? FDInheritanceError)?.code == .alreadyClosed }
        #expect(isOpen(fd))
    }

    @Test func inheritableFlagToggles() throws {
        let socket = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        defer { try? socket.close() }
        try socket.setInheritable(true)
        #expect(!isCloseOnExec(socket.descriptor))
        #expect(try socket.isInheritable())
        try socket.setInheritable(false)
        #expect(isCloseOnExec(socket.descriptor))
    }

    @Test(arguments: [true, false])
    func duplicateOntoAChosenNumber(inheritable: Bool) throws {
        let socket = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        defer { try? socket.close() }
        let target = try reserveDescriptor()
        let copy = try socket.duplicate(onto: target, inheritable: inheritable)
        defer { try? copy.close() }
        #expect(copy.descriptor == target)
        #expect(copy.address == socket.address)
        #expect(isCloseOnExec(target) == !inheritable)
        #expect(socketOption(target, level: SOL_SOCKET, SO_ACCEPTCONN) == 1)
    }

    @Test func duplicateOntoItselfReturnsTheSameOwner() throws {
        let socket = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        defer { try? socket.close() }
        let same = try socket.duplicate(onto: socket.descriptor, inheritable: true)
        #expect(same === socket)
        #expect(!isCloseOnExec(socket.descriptor))
    }
}

/// Permission bits of a file.
func fileMode(_ path: String) throws -> UInt32 {
    var info = stat()
    guard stat(path, &info) == 0 else { throw TestFailure("stat \(path): errno \(errno)") }
    return UInt32(info.st_mode) & 0o777
}

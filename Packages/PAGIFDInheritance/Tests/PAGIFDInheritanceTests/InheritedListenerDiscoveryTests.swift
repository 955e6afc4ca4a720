import Glibc
import PAGIFDInheritance
import Testing

/// Discovery in this process: the "inherited" descriptors are sockets the test bound and let go of,
/// exactly what a parent leaves open across exec.
@Suite struct InheritedListenerDiscoveryTests {
    @Test func adoptsServerStarterEntriesOfEveryKind() throws {
        let directory = try TemporaryDirectory()
        let tcp = try strayListener(.tcp(host: "127.0.0.1", port: 0))
        let unix = try strayListener(.unix(path: directory.path + "/s.sock"))
        let udp = try strayListener(.udp(host: "::1", port: 0))
        #expect(fcntl(tcp.fd, F_SETFD, 0) == 0)
        let port = try #require(tcp.address.port)
        let udpPort = try #require(udp.address.port)
        let value = "127.0.0.1:\(port)=\(tcp.fd);\(directory.path)/s.sock=\(unix.fd);[::1]:\(udpPort)=\(udp.fd)"

        let listeners = try InheritedListenerDiscovery.discover(environment: ["SERVER_STARTER_PORT": value], processID: getpid())
        defer { for listener in listeners { try? listener.socket.close() } }

        #expect(listeners.map(\.descriptor) == [tcp.fd, unix.fd, udp.fd])
        #expect(listeners.map(\.address) == [tcp.address, unix.address, udp.address])
        #expect(listeners.map(\.socket.kind) == [.stream, .stream, .datagram])
        #expect(listeners.allSatisfy { $0.source == .serverStarter && $0.socket.origin == .inherited(.serverStarter) })
        #expect(listeners[0].entry == "127.0.0.1:\(port)=\(tcp.fd)")
        #expect(listeners[0].declaredSpec == .tcp(host: "127.0.0.1", port: port))
        // Adopted descriptors are close-on-exec again, as sd_listen_fds does.
        #expect(isCloseOnExec(tcp.fd))
    }

    @Test func adoptsPAGIReuseEntriesWithBareIPv6() throws {
        let directory = try TemporaryDirectory()
        let tcp = try strayListener(.tcp(host: "::1", port: 0))
        let unix = try strayListener(.unix(path: directory.path + "/r.sock"))
        let port = try #require(tcp.address.port)
        let value = "::1:\(port):\(tcp.fd),unix:\(directory.path)/r.sock:\(unix.fd)"

        let listeners = try InheritedListenerDiscovery.discover(environment: ["PAGI_REUSE": value], processID: getpid())
        defer { for listener in listeners { try? listener.socket.close() } }

        #expect(listeners.map(\.address) == [.ipv6(host: "::1", port: port), .unix(path: directory.path + "/r.sock")])
        #expect(listeners.allSatisfy { $0.source == .pagiReuse })
    }

    @Test func anotherProcessesSystemdVariablesAdoptNothing() throws {
        let listeners = try InheritedListenerDiscovery.discover(environment: ["LISTEN_FDS": "2", "LISTEN_PID": "1"], processID: getpid())
        #expect(listeners.isEmpty)
    }

    @Test func sourcesCanBeRestricted() throws {
        let tcp = try strayListener(.tcp(host: "127.0.0.1", port: 0))
        defer { close(tcp.fd) }
        let value = "\(tcp.address)=\(tcp.fd)"
        let listeners = try InheritedListenerDiscovery.discover(
            environment: ["SERVER_STARTER_PORT": value],
            processID: getpid(),
            sources: [.pagiReuse, .systemd]
        )
        #expect(listeners.isEmpty)
    }

    @Test func aDescriptorNamedTwiceIsAdoptedOnceUnderTheHigherPrecedence() throws {
        let tcp = try strayListener(.tcp(host: "127.0.0.1", port: 0))
        let port = try #require(tcp.address.port)
        let listeners = try InheritedListenerDiscovery.discover(
            environment: ["SERVER_STARTER_PORT": "127.0.0.1:\(port)=\(tcp.fd)", "PAGI_REUSE": "127.0.0.1:\(port):\(tcp.fd)"],
            processID: getpid()
        )
        defer { for listener in listeners { try? listener.socket.close() } }
        #expect(listeners.count == 1)
        #expect(listeners.first?.source == .pagiReuse)
    }

    @Test func resultIsOrderedByPrecedence() throws {
        let first = try strayListener(.tcp(host: "127.0.0.1", port: 0))
        let second = try strayListener(.tcp(host: "127.0.0.1", port: 0))
        let listeners = try InheritedListenerDiscovery.discover(
            environment: ["SERVER_STARTER_PORT": "\(first.address)=\(first.fd)", "PAGI_REUSE": "127.0.0.1:\(second.address.port ?? 0):\(second.fd)"],
            processID: getpid()
        )
        defer { for listener in listeners { try? listener.socket.close() } }
        #expect(listeners.map(\.source) == [.pagiReuse, .serverStarter])
    }

    @Test func seqpacketUnixSocketIsAdoptedWithItsKind() throws {
        let name = "@pagi-fd-seq-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        bytes[0] = 0
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(2 + bytes.count)) }
        }
        #expect(bound == 0 && listen(fd, 8) == 0)
        let listeners = try InheritedListenerDiscovery.discover(environment: ["SERVER_STARTER_PORT": "\(name)=\(fd)"], processID: getpid())
        defer { for listener in listeners { try? listener.socket.close() } }
        #expect(listeners.map(\.socket.kind) == [.sequencedPacket])
        #expect(listeners.map(\.address) == [.unix(path: name)])
    }

    // MARK: Rejections, one per verification step

    @Test func closedDescriptorIsNamed() {
        let fd = unusedDescriptor()
        expectDiscoveryError(["SERVER_STARTER_PORT": "8080=\(fd)"], code: .descriptorNotOpen, mentions: "inherited fd \(fd) (SERVER_STARTER_PORT entry '8080=\(fd)') is not open")
    }

    @Test func nonSocketIsNamed() throws {
        var fds: [Int32] = [0, 0]
        guard pipe2(&fds, O_CLOEXEC) == 0 else { throw TestFailure("pipe2 failed") }
        defer { close(fds[0]); close(fds[1]) }
        expectDiscoveryError(["PAGI_REUSE": "0.0.0.0:80:\(fds[0])"], code: .notASocket, mentions: "inherited fd \(fds[0]) (PAGI_REUSE entry '0.0.0.0:80:\(fds[0])') is open but is not a socket")
    }

    @Test func nonListeningSocketIsNamed() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        expectDiscoveryError(["SERVER_STARTER_PORT": "127.0.0.1:1=\(fd)"], code: .notListening, mentions: "inherited fd \(fd)")
    }

    @Test func addressMismatchIsNamed() throws {
        let tcp = try strayListener(.tcp(host: "127.0.0.1", port: 0))
        defer { close(tcp.fd) }
        let wrongPort = tcp.address.port == 1 ? 2 : 1
        expectDiscoveryError(
            ["SERVER_STARTER_PORT": "127.0.0.1:\(wrongPort)=\(tcp.fd)"],
            code: .addressMismatch,
            mentions: "is bound to \(tcp.address), not 127.0.0.1:\(wrongPort)"
        )
        expectDiscoveryError(["PAGI_REUSE": "10.1.2.3:\(tcp.address.port ?? 0):\(tcp.fd)"], code: .addressMismatch, mentions: "not 10.1.2.3")
        expectDiscoveryError(["SERVER_STARTER_PORT": "/tmp/elsewhere.sock=\(tcp.fd)"], code: .addressMismatch, mentions: "not /tmp/elsewhere.sock")
    }

    @Test func malformedEntryIsNamed() {
        expectDiscoveryError(["PAGI_REUSE": "nonsense"], code: .malformedEnvironmentEntry, mentions: "PAGI_REUSE entry 'nonsense'")
        expectDiscoveryError(["LISTEN_FDS": "x", "LISTEN_PID": "\(getpid())"], code: .malformedEnvironmentEntry, mentions: "LISTEN_FDS entry 'x'")
    }

    @Test func anErrorAdoptsNothing() throws {
        let good = try strayListener(.tcp(host: "127.0.0.1", port: 0))
        defer { close(good.fd) }
        #expect(fcntl(good.fd, F_SETFD, 0) == 0)
        let missing = unusedDescriptor()
        expectDiscoveryError(
            ["SERVER_STARTER_PORT": "\(good.address)=\(good.fd);9=\(missing)"],
            code: .descriptorNotOpen,
            mentions: "inherited fd \(missing)"
        )
        // The good descriptor was verified but not adopted: its flags are untouched.
        #expect(!isCloseOnExec(good.fd))
    }

    private func expectDiscoveryError(
        _ environment: [String: String],
        code: FDInheritanceError.Code,
        mentions text: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(sourceLocation: sourceLocation) {
            try InheritedListenerDiscovery.discover(environment: environment, processID: getpid())
        } throws: { error in
            guard let error = error as? FDInheritanceError else { return false }
            return error.code == code && error.description.contains(text)
        }
    }
}

import Glibc
import PAGIFDInheritance
import Testing

/// Real handoffs: sockets created here are passed to an exec'd `pagi-fd-probe`, which finds them
/// through the library and accepts one connection on each.
@Suite struct ChildProcessHandoffTests {
    @Test func serverStarterPortHandsOverTCPUnixAndUDP() throws {
        let directory = try TemporaryDirectory()
        let tcp = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        let unix = try ListeningSocket.bind(.unix(path: directory.path + "/child.sock"))
        let udp = try ListeningSocket.bind(.udp(host: "::1", port: 0))
        defer { for socket in [tcp, unix, udp] { try? socket.close() } }
        let value = try ServerStarterPort.render([
            .init(spec: .tcp(host: "127.0.0.1", port: tcp.address.port ?? 0), descriptor: 5),
            .init(spec: .unix(path: directory.path + "/child.sock"), descriptor: 6),
            .init(spec: .udp(host: "::1", port: udp.address.port ?? 0), descriptor: 7),
        ])
        let child = try ChildProcess(
            try probeExecutable(),
            environment: ["SERVER_STARTER_PORT": value],
            descriptors: [(tcp.descriptor, 5), (unix.descriptor, 6), (udp.descriptor, 7)]
        )
        try child.waitForLine(startingWith: "ready")
        #expect(child.lines.contains("listener source=SERVER_STARTER_PORT fd=5 address=\(tcp.address) kind=stream name=- cloexec=true"))
        #expect(child.lines.contains("listener source=SERVER_STARTER_PORT fd=6 address=\(unix.address) kind=stream name=- cloexec=true"))
        #expect(child.lines.contains("listener source=SERVER_STARTER_PORT fd=7 address=\(udp.address) kind=datagram name=- cloexec=true"))
        #expect(try greeting(from: tcp.address) == "hello from \(tcp.address) via SERVER_STARTER_PORT\n")
        #expect(try greeting(from: unix.address) == "hello from \(unix.address) via SERVER_STARTER_PORT\n")
        #expect(try Client.exchangeDatagram(with: udp.address) == "hello from \(udp.address) via SERVER_STARTER_PORT\n")
        #expect(try child.finish() == 0)
        #expect(child.lines.contains("done"))
    }

    @Test func pagiReuseHandsOverIPv6AndUnix() throws {
        let directory = try TemporaryDirectory()
        let tcp = try ListeningSocket.bind(.tcp(host: "::1", port: 0))
        let unix = try ListeningSocket.bind(.unix(path: directory.path + "/reuse.sock"))
        defer { for socket in [tcp, unix] { try? socket.close() } }
        let value = try PAGIReuse.render([
            .init(spec: .tcp(host: "::1", port: tcp.address.port ?? 0), descriptor: 3),
            .init(spec: .unix(path: directory.path + "/reuse.sock"), descriptor: 4),
        ])
        let child = try ChildProcess(try probeExecutable(), environment: ["PAGI_REUSE": value], descriptors: [(tcp.descriptor, 3), (unix.descriptor, 4)])
        try child.waitForLine(startingWith: "ready 2")
        #expect(try greeting(from: tcp.address) == "hello from \(tcp.address) via PAGI_REUSE\n")
        #expect(try greeting(from: unix.address) == "hello from \(unix.address) via PAGI_REUSE\n")
        #expect(try child.finish() == 0)
    }

    @Test func systemdActivationHandsOverNamedSocketsAndClearsTheVariables() throws {
        let tcp = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        let v6 = try ListeningSocket.bind(.tcp(host: "::1", port: 0))
        defer { for socket in [tcp, v6] { try? socket.close() } }
        // LISTEN_PID must be the child's own pid: the shell exports $$ and execs the probe under it.
        let child = try ChildProcess(
            try probeExecutable(),
            environment: ["LISTEN_FDS": "2", "LISTEN_FDNAMES": "web:admin"],
            descriptors: [(tcp.descriptor, 3), (v6.descriptor, 4)],
            shellPrelude: "export LISTEN_PID=$$"
        )
        try child.waitForLine(startingWith: "ready 2")
        #expect(child.lines.contains("env LISTEN_FDS=unset"))
        #expect(child.lines.contains("listener source=systemd fd=3 address=\(tcp.address) kind=stream name=web cloexec=true"))
        #expect(child.lines.contains("listener source=systemd fd=4 address=\(v6.address) kind=stream name=admin cloexec=true"))
        #expect(try greeting(from: tcp.address) == "hello from \(tcp.address) via systemd\n")
        #expect(try greeting(from: v6.address) == "hello from \(v6.address) via systemd\n")
        #expect(try child.finish() == 0)
    }

    @Test func systemdVariablesForAnotherProcessAreIgnoredButCleared() throws {
        let tcp = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        defer { try? tcp.close() }
        let child = try ChildProcess(
            try probeExecutable(),
            environment: ["LISTEN_FDS": "1", "LISTEN_PID": "1"],
            descriptors: [(tcp.descriptor, 3)]
        )
        try child.waitForLine(startingWith: "ready")
        #expect(child.lines.contains("env LISTEN_FDS=unset"))
        #expect(child.lines.contains("ready 0"))
        #expect(try child.finish() == 0)
    }

    @Test func createdSocketsDoNotLeakIntoChildren() throws {
        let tcp = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        defer { try? tcp.close() }
        // No dup action: the child sees the number only if the descriptor survived exec by accident.
        let entry = "\(tcp.address)=\(tcp.descriptor)"
        let child = try ChildProcess(try probeExecutable(), environment: ["SERVER_STARTER_PORT": entry], descriptors: [])
        #expect(try child.finish() == 1)
        #expect(child.lines.contains { $0.contains("inherited fd \(tcp.descriptor) (SERVER_STARTER_PORT entry '\(entry)') is not open in this process") })
    }

    @Test func inheritableSocketsSurviveExecAtTheirOwnNumber() throws {
        let tcp = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        defer { try? tcp.close() }
        let target = try reserveDescriptor()
        // `duplicate(onto:inheritable:)` is how start_server places a socket for its children.
        let placed = try tcp.duplicate(onto: target, inheritable: true)
        defer { try? placed.close() }
        let child = try ChildProcess(
            try probeExecutable(),
            environment: ["SERVER_STARTER_PORT": "\(tcp.address)=\(target)"],
            descriptors: [(target, target)]
        )
        try child.waitForLine(startingWith: "ready 1")
        #expect(try greeting(from: tcp.address) == "hello from \(tcp.address) via SERVER_STARTER_PORT\n")
        #expect(try child.finish() == 0)
    }

    @Test func childReportsAWrongDescriptorByNumber() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/file"
        let file = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        defer { close(file) }
        let child = try ChildProcess(try probeExecutable(), environment: ["PAGI_REUSE": "0.0.0.0:80:5"], descriptors: [(file, 5)])
        #expect(try child.finish() == 1)
        #expect(child.lines.contains { $0.contains("inherited fd 5 (PAGI_REUSE entry '0.0.0.0:80:5') is open but is not a socket") })
    }

    /// Connects to a stream listener and returns everything the probe sends before closing.
    private func greeting(from address: ListenerAddress) throws -> String {
        let client = try Client.connect(to: address)
        defer { close(client) }
        return try readAll(client)
    }
}

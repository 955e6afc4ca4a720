// Black-box checks that third-party supervisors can hand sockets to a program built on
// PAGIFDInheritance: systemd's `systemd-socket-activate` (LISTEN_FDS/LISTEN_PID/LISTEN_FDNAMES)
// and the original Perl Server::Starter `start_server` (SERVER_STARTER_PORT). The program is
// `pagi-fd-probe`, PAGIFDInheritance's test helper, which prints what it found and answers one
// connection per listener. Each test is skipped, with the reason, when its tool is not installed.

import Foundation
import Testing

private let socketActivate = "/usr/bin/systemd-socket-activate"
private let perlStartServer = "/usr/bin/start_server"

/// Raw loopback helpers for these tests, namespaced so they never collide with other suites' helpers.
private enum FDProbeNetwork {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    static func freeLoopbackPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw BlackBoxError.timedOut("a free loopback port (errno \(errno))") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Connects to 127.0.0.1:`port` or a unix `path` and returns all the peer sends before closing.
    static func fetchGreeting(port: UInt16? = nil, path: String? = nil) async throws -> String {
        try await withDeadline(.seconds(20), what: "a greeting from pagi-fd-probe") {
            let fd: Int32
            var connected = false
            if let port {
                fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = port.bigEndian
                address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
                connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                    }
                }
            } else {
                fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
                var address = sockaddr_un()
                address.sun_family = sa_family_t(AF_UNIX)
                withUnsafeMutableBytes(of: &address.sun_path) {
                    $0.copyBytes(from: Array((path ?? "").utf8))
                }
                connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
                    }
                }
            }
            defer { close(fd) }
            guard connected else { return "connect failed: errno \(errno)" }
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 512)
            while true {
                let count = read(fd, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                data += buffer[0..<count]
            }
            return String(decoding: data, as: UTF8.self)
        }
    }
}

/// The probe is a product of the root package but not a dependency of this test target.
private func requireProbe() throws {
    try #require(
        FileManager.default.isExecutableFile(atPath: executable("pagi-fd-probe")),
        "pagi-fd-probe is not in \(binDirectory().path); build it: swift build --scratch-path <dir> --product pagi-fd-probe"
    )
}

@Suite("PAGIFDInheritance under third-party supervisors")
struct FDInheritanceSupervisorTests {
    @Test(
        "systemd-socket-activate hands named TCP and unix sockets to a PAGIFDInheritance program",
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: socketActivate),
            "systemd-socket-activate is not installed (apt-get install systemd)")
    )
    func systemdSocketActivate() async throws {
        try requireProbe()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pagi-fd-bb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sd.sock").path
        let port = try FDProbeNetwork.freeLoopbackPort()

        let activator = try RunningProcess(
            socketActivate,
            ["-l", "127.0.0.1:\(port)", "-l", path, "--fdname=web:local", executable("pagi-fd-probe")]
        )
        defer { activator.stop() }
        try await activator.waitForLine("listening on the unix path") {
            $0.contains("Listening on \(path)")
        }

        // systemd-socket-activate execs the program on the first connection, with LISTEN_PID set to it.
        let tcpGreeting = try await FDProbeNetwork.fetchGreeting(port: port)
        #expect(tcpGreeting == "hello from 127.0.0.1:\(port) via systemd\n")
        let unixGreeting = try await FDProbeNetwork.fetchGreeting(path: path)
        #expect(unixGreeting == "hello from \(path) via systemd\n")
        #expect(try await activator.waitForExit() == 0)
        let output = activator.output
        #expect(output.contains("env LISTEN_FDS=unset"))
        #expect(
            output.contains(
                "listener source=systemd fd=3 address=127.0.0.1:\(port) kind=stream name=web cloexec=true"))
        #expect(
            output.contains(
                "listener source=systemd fd=4 address=\(path) kind=stream name=local cloexec=true"))
    }

    @Test(
        "Perl Server::Starter's start_server hands TCP and unix sockets to a PAGIFDInheritance program",
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: perlStartServer),
            "Perl start_server is not installed (apt-get install libserver-starter-perl)")
    )
    func perlServerStarter() async throws {
        try requireProbe()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pagi-fd-bb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ss.sock").path
        let port = try FDProbeNetwork.freeLoopbackPort()

        // The test runner spawns children with most signals blocked, and a blocked mask survives exec,
        // so start_server would never see our SIGTERM; a one-line perl wrapper clears the mask first.
        let supervisor = try RunningProcess(
            "/usr/bin/perl",
            [
                "-MPOSIX", "-e", "sigprocmask(SIG_SETMASK, POSIX::SigSet->new); exec @ARGV or die \"exec: $!\"",
                perlStartServer, "--port=127.0.0.1:\(port)", "--path=\(path)", "--interval=0", "--", executable("pagi-fd-probe"),
            ]
        )
        defer {
            supervisor.stop()
            // start_server respawns the probe after it serves; never leave a generation behind.
            for line in supervisor.output where line.hasPrefix("probe pid=") {
                if let pid = Int32(line.dropFirst("probe pid=".count)) { kill(pid, SIGKILL) }
            }
        }
        try await supervisor.waitForLine("the probe ready") { $0.hasPrefix("ready 2") }

        let tcpGreeting = try await FDProbeNetwork.fetchGreeting(port: port)
        #expect(tcpGreeting == "hello from 127.0.0.1:\(port) via SERVER_STARTER_PORT\n")
        let unixGreeting = try await FDProbeNetwork.fetchGreeting(path: path)
        #expect(unixGreeting == "hello from \(path) via SERVER_STARTER_PORT\n")
        try await supervisor.waitForLine("the probe done") { $0 == "done" }
        #expect(
            supervisor.output.contains {
                $0.hasPrefix("listener source=SERVER_STARTER_PORT")
                    && $0.contains("address=127.0.0.1:\(port) kind=stream")
            })
        #expect(
            supervisor.output.contains {
                $0.hasPrefix("listener source=SERVER_STARTER_PORT")
                    && $0.contains("address=\(path) kind=stream")
            })
        // start_server respawns the probe once it is done (--interval=0). A TERM that lands between its
        // fork and exec is caught by Perl's handler in the child and lost with the exec (a race of the
        // Perl original), so wait until the next probe is up before stopping the supervisor.
        let deadline = ContinuousClock.now + .seconds(20)
        while supervisor.output.filter({ $0.hasPrefix("ready 2") }).count < 2 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        supervisor.signal(SIGTERM)
        #expect(try await supervisor.waitForExit() == 0)
        #expect(supervisor.output.contains("exiting"))
    }
}

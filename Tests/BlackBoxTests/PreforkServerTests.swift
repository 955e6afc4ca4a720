// Black-box tests of pagi-server's process model: `--workers N` under signals and load, USR2 hot
// restart, inherited listeners (systemd socket activation, our and Perl's start_server), heartbeat
// and max-requests recycling. Every test is bounded (≤ 30 s) and kills every process it started.
import Foundation
import Testing

@Suite("pagi-server prefork and inherited listeners", .serialized)
struct PreforkServerTests {
    static let wrk = "/usr/bin/wrk"
    static let perlStartServer = "/usr/bin/start_server"
    static let socketActivate = "/usr/bin/systemd-socket-activate"

    /// A pagi-server (or supervisor) process tree that is killed entirely when the test ends.
    final class ProcessTree: @unchecked Sendable {
        let root: RunningProcess
        init(_ root: RunningProcess) { self.root = root }

        /// Every live descendant pid, children first.
        var descendants: [Int32] { Self.descendants(of: self.root.pid) }

        static func descendants(of pid: Int32) -> [Int32] {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            var result: [Int32] = []
            for task in tasks {
                let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
                for child in text.split(separator: " ").compactMap({ Int32($0) }) {
                    result.append(child)
                    result += Self.descendants(of: child)
                }
            }
            return result
        }

        func stop() {
            let all = self.descendants
            // A root that already exited may never be reported by Foundation (seen with the old
            // master of a hot restart): waiting for it would hang, so only a live one is stopped.
            if processIsAlive(self.root.pid) { self.root.stop() }
            for pid in all { kill(pid, SIGKILL) }
        }
    }

    /// Starts `pagi-server --workers N` on a free port and waits until every worker is serving.
    func startPrefork(_ extra: [String], workers: Int = 2, environment: [String: String]? = nil) async throws -> (ProcessTree, UInt16) {
        let port = try freeLoopbackPort()
        let server = try RunningProcess(
            "pagi-server",
            ["--port", String(port), "--workers", String(workers), "--access-log", "off"] + extra,
            environment: environment
        )
        let tree = ProcessTree(server)
        do {
            try await self.waitForBanners(server, count: workers)
        } catch {
            tree.stop()
            throw error
        }
        return (tree, port)
    }

    func waitForBanners(_ process: RunningProcess, count: Int, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while process.output.filter({ $0.hasPrefix("PAGI Server listening on") }).count < count {
            guard ContinuousClock.now < deadline else {
                throw BlackBoxError.timedOut("\(count) worker banners (output: \(process.output.suffix(20)))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Runs `wrk` for `seconds` against the port while `during` acts; returns wrk's report.
    func underLoad(port: UInt16, seconds: Int = 6, connections: Int = 8, extra: [String] = [], during: () async throws -> Void) async throws -> String {
        let load = try RunningProcess(Self.wrk, ["-t1", "-c\(connections)", "-d\(seconds)s"] + extra + ["http://127.0.0.1:\(port)/"])
        defer { load.stop() }
        try await Task.sleep(for: .milliseconds(700))  // let the load reach the workers first
        try await during()
        let status = try await load.waitForExit(timeout: .seconds(seconds + 15))
        // The exit can be reported before the last output lines are read.
        _ = try? await load.waitForLine(timeout: .seconds(5), "wrk's summary") { $0.contains("Transfer/sec") }
        let report = load.output.joined(separator: "\n")
        #expect(status == 0, "\(report)")
        #expect(report.contains("requests in"), "\(report)")
        return report
    }

    /// Expects a wrk report without any socket error or non-2xx response.
    func expectClean(_ report: String, _ context: String) {
        let errors = StartServerInteropTests.socketErrors(report)
        #expect(errors.connect == 0 && errors.read == 0 && errors.write == 0 && errors.timeout == 0, "\(context): \(report)")
        #expect(!report.contains("Non-2xx"), "\(context): \(report)")
    }

    func waitFor(_ what: String, timeout: Duration = .seconds(20), _ check: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !check() {
            guard ContinuousClock.now < deadline else { throw BlackBoxError.timedOut(what) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static var hasWrk: Bool { FileManager.default.isExecutableFile(atPath: Self.wrk) }

    // MARK: - Workers under signals

    @Test("--workers 2: HUP rolling restart under load loses nothing and replaces every worker", .enabled(if: hasWrk, "needs wrk (apt-get install -y wrk)"))
    func hangupUnderLoad() async throws {
        let (tree, port) = try await self.startPrefork([])
        defer { tree.stop() }
        let before = Set(tree.descendants)
        #expect(before.count == 2)
        let report = try await self.underLoad(port: port) {
            tree.root.signal(SIGHUP)
            try await self.waitFor("both workers replaced") { Set(tree.descendants).isDisjoint(with: before) && tree.descendants.count == 2 }
        }
        self.expectClean(report, "HUP")
        #expect(tree.root.output.contains("Received HUP, performing graceful restart"))
        tree.root.signal(SIGTERM)
        #expect(try await tree.root.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test("--workers 2: TTIN adds a worker, TTOU retires one, under load, losing nothing", .enabled(if: hasWrk, "needs wrk (apt-get install -y wrk)"))
    func ttinTtouUnderLoad() async throws {
        let (tree, port) = try await self.startPrefork([])
        defer { tree.stop() }
        let report = try await self.underLoad(port: port) {
            tree.root.signal(SIGTTIN)
            try await self.waitForBanners(tree.root, count: 3)
            try await self.waitFor("3 workers") { tree.descendants.count == 3 }
            tree.root.signal(SIGTTOU)
            try await self.waitFor("back to 2 workers") { tree.descendants.count == 2 }
        }
        self.expectClean(report, "TTIN+TTOU")
        #expect(tree.root.output.contains("Received TTIN, spawning worker 3 (total: 3)"))
        #expect(tree.root.output.contains("Received TTOU, killing worker (remaining: 2)"))
        tree.root.signal(SIGINT)
        #expect(try await tree.root.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test("--workers 2: a SIGKILLed worker is respawned; only its own open connections can fail", .enabled(if: hasWrk, "needs wrk (apt-get install -y wrk)"))
    func killedWorkerIsRespawned() async throws {
        let (tree, port) = try await self.startPrefork([])
        defer { tree.stop() }
        let connections = 8
        let report = try await self.underLoad(port: port, connections: connections, extra: ["-H", "Connection: close"]) {
            let victim = try #require(tree.descendants.first)
            kill(victim, SIGKILL)
            try await self.waitFor("the killed worker respawned") { tree.descendants.count == 2 && !tree.descendants.contains(victim) }
            try await self.waitForBanners(tree.root, count: 3)
        }
        let errors = StartServerInteropTests.socketErrors(report)
        // Requests the killed process had accepted die with it; the shared listener keeps every other one.
        #expect(errors.connect == 0 && errors.timeout == 0 && errors.read + errors.write <= connections, "\(report)")
        #expect(!report.contains("Non-2xx"), "\(report)")
        #expect(tree.root.output.contains { $0.contains("ended with signal KILL, respawning") })
        tree.root.signal(SIGTERM)
        #expect(try await tree.root.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test("--workers 2: USR2 hot restart under load: new master pid, same listening socket, nothing lost", .enabled(if: hasWrk, "needs wrk (apt-get install -y wrk)"))
    func hotRestartUnderLoad() async throws {
        let (tree, port) = try await self.startPrefork([])
        defer { tree.stop() }
        let oldMaster = tree.root.pid
        let inode = try #require(Self.listeningInode(port: port), "a listening socket on the port")
        #expect(Self.listeningSocketInodes(of: oldMaster).contains(inode), "the master holds the listening socket")
        var newMaster: Int32 = 0
        let report = try await self.underLoad(port: port) {
            tree.root.signal(SIGUSR2)
            try await self.waitFor("the old master to exit after the handover") { !processIsAlive(oldMaster) }
            let line = try #require(tree.root.output.first { $0.hasPrefix("Hot restart: started new master ") })
            newMaster = Int32(line.split(separator: " ").last ?? "") ?? 0
        }
        defer { if newMaster > 0 { for pid in ProcessTree.descendants(of: newMaster) { kill(pid, SIGKILL) }; kill(newMaster, SIGKILL) } }
        self.expectClean(report, "USR2")
        #expect(newMaster > 0 && newMaster != oldMaster && processIsAlive(newMaster))
        #expect(Self.listeningSocketInodes(of: newMaster).contains(inode), "the new master serves the very same socket")
        #expect(loopbackAccepts(port))
        #expect(tree.root.output.contains { $0.contains("sending SIGTERM to old master \(oldMaster)") })
        kill(newMaster, SIGTERM)
        try await self.waitFor("the new master to exit") { !processIsAlive(newMaster) }
    }

    /// `socket:[inode]` of the IPv4 socket listening on `port`, from /proc/net/tcp.
    static func listeningInode(port: UInt16) -> String? {
        let suffix = ":" + String(format: "%04X", port)
        // /proc/net/tcp is produced in pages; while other tests churn thousands of sockets between two
        // reads, an entry can be skipped. A listening socket is never gone, so read again before giving up.
        for _ in 0..<20 {
            let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
            for line in table.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9, fields[1].hasSuffix(suffix), fields[3] == "0A" else { continue }
                return "socket:[\(fields[9])]"
            }
            usleep(25_000)
        }
        return nil
    }

    @Test("--workers 2 --reuseport: each worker binds its own SO_REUSEPORT socket and serves")
    func reusePortWorkers() async throws {
        let (tree, port) = try await self.startPrefork(["--reuseport"])
        defer { tree.stop() }
        #expect(tree.root.output.contains { $0.contains("(SO_REUSEPORT per worker)") }, "\(tree.root.output)")
        for _ in 0..<4 { #expect(try await httpGet(port: port).hasPrefix("HTTP/1.1 200")) }
        let workers = tree.descendants
        #expect(workers.count == 2)
        // Each worker holds a listening socket of its own; the master holds none.
        let inodes = workers.map { Self.listeningSocketInodes(of: $0) }
        #expect(inodes.count == 2 && inodes[0].isDisjoint(with: inodes[1]))
        tree.root.signal(SIGTERM)
        #expect(try await tree.root.waitForExit(timeout: .seconds(15)) == 0)
    }

    /// The socket inodes among a process's descriptors.
    static func listeningSocketInodes(of pid: Int32) -> Set<String> {
        let directory = "/proc/\(pid)/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return Set(entries.compactMap { entry in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(entry)"), target.hasPrefix("socket:") else { return nil }
            return target
        })
    }

    @Test("--workers 2 --heartbeat-timeout 2: a worker that stops beating is killed and replaced")
    func silentWorkerIsReplaced() async throws {
        let (tree, port) = try await self.startPrefork(["--heartbeat-timeout", "2"])
        defer { tree.stop() }
        let victim = try #require(tree.descendants.first)
        kill(victim, SIGSTOP)  // as frozen as an application blocking its event loop
        try await tree.root.waitForLine(timeout: .seconds(10), "heartbeat timeout") { $0.contains("Worker \(victim) (worker") && $0.contains("heartbeat timeout after 2s, sending SIGKILL") }
        try await self.waitFor("a replacement worker") { tree.descendants.count == 2 && !tree.descendants.contains(victim) }
        #expect(loopbackAccepts(port))
        tree.root.signal(SIGTERM)
        #expect(try await tree.root.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test("--workers 2 --max-requests 200: workers recycle under load and no request is dropped", .enabled(if: hasWrk, "needs wrk (apt-get install -y wrk)"))
    func maxRequestsRecycling() async throws {
        let (tree, port) = try await self.startPrefork(["--max-requests", "200", "--min-reqs-per-child", "100"])
        defer { tree.stop() }
        let report = try await self.underLoad(port: port, seconds: 4, connections: 4) {}
        self.expectClean(report, "max-requests")
        #expect(tree.root.output.contains { $0.contains("reached max_requests") })
        #expect(tree.root.output.contains { $0.contains("ended with exit code 0, respawning") })
        tree.root.signal(SIGTERM)
        #expect(try await tree.root.waitForExit(timeout: .seconds(15)) == 0)
    }

    // MARK: - Inherited listeners

    @Test("systemd-socket-activate: pagi-server serves the inherited socket and says so",
          .enabled(if: FileManager.default.isExecutableFile(atPath: socketActivate), "needs systemd-socket-activate (Debian package systemd)"))
    func systemdSocketActivation() async throws {
        let port = try freeLoopbackPort()
        let server = try RunningProcess(Self.socketActivate, ["-l", "127.0.0.1:\(port)", executable("pagi-server"), "--access-log", "off"])
        let tree = ProcessTree(server)
        defer { tree.stop() }
        try await self.waitFor("systemd-socket-activate listening") { server.output.contains { $0.contains("Listening on 127.0.0.1:\(port)") } }
        let response = try await httpGet(port: port)
        #expect(response.hasPrefix("HTTP/1.1 200"), "\(response)")
        #expect(server.output.contains { $0.contains("for http://127.0.0.1:\(port)/ (source: systemd)") }, "\(server.output)")
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test("Under SERVER_STARTER_PORT, --port is refused with a clear error (exit 64)")
    func listenerFlagsRefusedUnderStartServer() async throws {
        let result = try await runCommand("pagi-server", ["--port", "5999"], environment: ["SERVER_STARTER_PORT": "127.0.0.1:5999=3"], timeout: .seconds(15))
        #expect(result.status == 64)
        #expect(result.stderr.contains("cannot be used under start_server (SERVER_STARTER_PORT is set)"), "\(result.stderr)")
    }

    /// Runs pagi-server under a start_server and sends three HUPs under load.
    func threeHangupsUnderStartServer(_ supervisor: [String], serverArguments: [String]) async throws {
        let sandbox = try StartServerSandbox()
        let port = try freeLoopbackPort()
        // Perl's start_server keeps a blocked HUP blocked: clear the mask Foundation's Process hands down.
        let server = try RunningProcess(
            "/usr/bin/perl",
            ["-MPOSIX", "-e", "sigprocmask(SIG_SETMASK, POSIX::SigSet->new); exec @ARGV or die \"exec $ARGV[0]: $!\""] + supervisor + [
                "--port=127.0.0.1:\(port)", "--interval=1", "--pid-file=\(sandbox.file("pid"))", "--status-file=\(sandbox.file("status"))",
                "--", executable("pagi-server"), "--access-log", "off",
            ] + serverArguments,
            currentDirectory: sandbox.path
        )
        let tree = ProcessTree(server)
        defer { tree.stop() }
        try await sandbox.waitForStatus([1])
        try await sandbox.waitFor("127.0.0.1:\(port) accepting") { loopbackAccepts(port) ? true : nil }
        let report = try await self.underLoad(port: port, seconds: 10) {
            for generation in 2...4 {
                server.signal(SIGHUP)
                try await sandbox.waitFor("generation \(generation)", timeout: .seconds(8)) { sandbox.status().contains { $0.generation == generation } ? true : nil }
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        self.expectClean(report, "three HUPs of \(supervisor[0])")
        #expect(server.output.contains { $0.contains("(source: server-starter)") } || serverArguments.contains("--workers"), "\(server.output.suffix(10))")
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("Our start_server runs pagi-server --workers 2 across three HUPs under load, losing nothing", .enabled(if: hasWrk, "needs wrk (apt-get install -y wrk)"))
    func ourStartServerWithWorkers() async throws {
        try await self.threeHangupsUnderStartServer([executable("start_server")], serverArguments: ["--workers", "2"])
    }

    @Test("Our start_server --wait-ready: pagi-server --workers 2 sends READY=1 and three HUPs under load lose nothing", .enabled(if: hasWrk, "needs wrk (apt-get install -y wrk)"))
    func ourStartServerWaitsForReadiness() async throws {
        try await self.threeHangupsUnderStartServer([executable("start_server"), "--wait-ready=15"], serverArguments: ["--workers", "2"])
    }

    @Test("Perl start_server runs pagi-server (single process) across three HUPs under load, losing nothing",
          .enabled(if: hasWrk && FileManager.default.isExecutableFile(atPath: perlStartServer), "needs wrk and libserver-starter-perl"))
    func perlStartServerSingleProcess() async throws {
        try await self.threeHangupsUnderStartServer([Self.perlStartServer], serverArguments: [])
    }

    @Test("Perl start_server runs pagi-server --workers 2 across three HUPs under load, losing nothing",
          .enabled(if: hasWrk && FileManager.default.isExecutableFile(atPath: perlStartServer), "needs wrk and libserver-starter-perl"))
    func perlStartServerWithWorkers() async throws {
        try await self.threeHangupsUnderStartServer([Self.perlStartServer], serverArguments: ["--workers", "2"])
    }

    // MARK: - Deployment options

    @Test("--daemonize --pid --error-log --umask: the launcher exits 0, the daemon serves, logs to the file, and removes its pid file at TERM")
    func daemonizeWithPidFileAndErrorLog() async throws {
        let sandbox = try StartServerSandbox()
        let port = try freeLoopbackPort()
        let result = try await runCommand(
            "pagi-server",
            ["--port", String(port), "--workers", "2", "--daemonize", "--pid", sandbox.file("pid"), "--error-log", sandbox.file("error.log"), "--umask", "027", "--access-log", "off"],
            timeout: .seconds(15)
        )
        #expect(result.status == 0, "\(result.stderr)")
        let pid: Int32 = try await sandbox.waitFor("the pid file") { sandbox.read("pid").split(separator: "\n").first.flatMap { Int32($0) } }
        defer { for child in ProcessTree.descendants(of: pid) { kill(child, SIGKILL) }; kill(pid, SIGKILL) }
        try await sandbox.waitFor("two workers serving") { sandbox.read("error.log").components(separatedBy: "PAGI Server listening on").count >= 3 ? true : nil }
        #expect(try await httpGet(port: port).hasPrefix("HTTP/1.1 200"))
        #expect(sandbox.read("error.log").contains("PAGI Server master \(pid) listening on"))
        #expect(getsid(pid) == pid, "the daemon leads its own session")
        kill(pid, SIGTERM)
        try await sandbox.waitFor("the daemon to exit") { processIsAlive(pid) ? nil : true }
        try await sandbox.waitFor("the pid file removed") { sandbox.exists("pid") ? nil : true }
    }

    @Test("Bad deployment options fail before binding with a clear message")
    func deploymentErrorsBeforeBinding() async throws {
        let port = try freeLoopbackPort()
        let user = try await runCommand("pagi-server", ["--port", String(port), "--user", "no-such-user-pagi"], timeout: .seconds(15))
        #expect(user.status == 1)
        #expect(user.stderr.contains("Unknown user: no-such-user-pagi"), "\(user.stderr)")
        let group = try await runCommand("pagi-server", ["--port", String(port), "--group", "no-such-group-pagi"], timeout: .seconds(15))
        #expect(group.stderr.contains("Unknown group: no-such-group-pagi"), "\(group.stderr)")
        let pid = try await runCommand("pagi-server", ["--port", String(port), "--pid", "/nonexistent-dir-pagi/x.pid"], timeout: .seconds(15))
        #expect(pid.status == 1)
        #expect(pid.stderr.contains("/nonexistent-dir-pagi/x.pid"), "\(pid.stderr)")
        let umask = try await runCommand("pagi-server", ["--umask", "999"], timeout: .seconds(15))
        #expect(umask.status == 64)
        #expect(!loopbackAccepts(port), "nothing was bound")
    }

    @Test("--user nobody --workers 2 (as root): workers run as nobody and serve", .enabled(if: getuid() == 0, "needs root"))
    func workersDropPrivileges() async throws {
        let (tree, port) = try await self.startPrefork(["--user", "nobody"])
        defer { tree.stop() }
        #expect(try await httpGet(port: port).hasPrefix("HTTP/1.1 200"))
        let nobody = try #require(getpwnam("nobody")).pointee.pw_uid
        for worker in tree.descendants {
            let status = (try? String(contentsOfFile: "/proc/\(worker)/status", encoding: .utf8)) ?? ""
            #expect(status.contains("Uid:\t\(nobody)\t\(nobody)"), "worker \(worker): \(status.split(separator: "\n").filter { $0.hasPrefix("Uid") })")
        }
        tree.root.signal(SIGTERM)
        #expect(try await tree.root.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test("--max-keepalive-reqs 2: the second response on a connection closes it")
    func maxKeepaliveRequests() async throws {
        let port = try freeLoopbackPort()
        let server = try RunningProcess("pagi-server", ["--port", String(port), "--max-keepalive-reqs", "2", "--keepalive-timeout", "5", "--access-log", "off"])
        defer { server.stop() }
        try await server.waitForLine("banner") { $0.hasPrefix("PAGI Server listening on") }
        let response = try await withDeadline(.seconds(10), what: "two pipelined requests") {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = port.bigEndian
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            let request = Array(String(repeating: "GET / HTTP/1.1\r\nHost: x\r\n\r\n", count: 3).utf8)
            _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                bytes += buffer[0..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(occurrences(of: "HTTP/1.1 200", in: response) == 2, "\(response)")
        #expect(response.lowercased().contains("connection: close"), "\(response)")
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test("Single-process pagi-server logs and ignores HUP and USR2")
    func singleProcessIgnoresRestartSignals() async throws {
        let port = try freeLoopbackPort()
        let server = try RunningProcess("pagi-server", ["--port", String(port), "--access-log", "off"])
        defer { server.stop() }
        try await server.waitForLine("banner") { $0.hasPrefix("PAGI Server listening on") }
        server.signal(SIGHUP)
        try await server.waitForLine("HUP ignored") { $0.contains("Received HUP") && $0.contains("ignoring") }
        server.signal(SIGUSR2)
        try await server.waitForLine("USR2 ignored") { $0.contains("Received USR2") && $0.contains("ignoring") }
        #expect(loopbackAccepts(port))
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(15)) == 0)
    }
}

/// One HTTP/1.1 GET with `Connection: close`, returning the raw response.
func httpGet(port: UInt16, path: String = "/") async throws -> String {
    try await withDeadline(.seconds(10), what: "GET \(path) on port \(port)") {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return "connect failed: errno \(errno)" }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }
}

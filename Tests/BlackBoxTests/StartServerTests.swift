import Foundation
import Testing

/// The real `start_server` binary with small shell children: generations, signals, files, client modes.
@Suite("start_server", .serialized)
struct StartServerTests {
    func startServer(_ sandbox: StartServerSandbox, _ options: [String], command: [String]) throws -> RunningProcess {
        try RunningProcess(
            "start_server",
            ["--status-file=\(sandbox.file("status"))", "--pid-file=\(sandbox.file("pid"))"] + options + ["--"] + command,
            currentDirectory: sandbox.path
        )
    }

    @Test("HUP starts a new generation; the status file lists both until the old one exits")
    func generationsAcrossHangup() async throws {
        let sandbox = try StartServerSandbox()
        let server = try self.startServer(sandbox, ["--port=127.0.0.1:0", "--interval=0.2"], command: [try sandbox.reportingChild()])
        defer { server.stop() }
        let first = try await sandbox.waitForStatus([1])
        for expected in 2...3 {
            server.signal(SIGHUP)
            try await sandbox.waitForStatus([expected])
        }
        #expect(!processIsAlive(first[0].pid))
        let report = sandbox.read("report")
        #expect(report.contains("TERM 1 \(first[0].pid)"))
        #expect(report.contains("start 3 "))
        try await server.waitForLine("new worker is now running") { $0.hasPrefix("new worker is now running, sending TERM to old workers:") }
        try await server.waitForLine("old worker died") { $0.hasPrefix("old worker \(first[0].pid) died, status:0") }
        server.signal(SIGTERM)
        #expect(try await server.waitForExit() == 0)
        #expect(!sandbox.exists("status"))
        #expect(!sandbox.exists("pid"))
        #expect(server.output.last == "exiting")
    }

    @Test("a child that dies during --interval is retried as a new generation")
    func failedStartIsRetried() async throws {
        let sandbox = try StartServerSandbox()
        let child = try sandbox.script(
            "flaky.sh",
            """
            if [ ! -e \(sandbox.file("second")) ]; then touch \(sandbox.file("second")); exit 3; fi
            exec \(try sandbox.reportingChild())
            """
        )
        let server = try self.startServer(sandbox, ["--interval=0.3"], command: [child])
        defer { server.stop() }
        try await sandbox.waitForStatus([2])
        try await server.waitForLine("failed start") { $0.contains("seems to have failed to start, exit status:768") }
        server.signal(SIGTERM)
        #expect(try await server.waitForExit() == 0)
    }

    @Test("--signal-on-hup=USR1 is what the old generation receives")
    func signalOnHangup() async throws {
        let sandbox = try StartServerSandbox()
        let server = try self.startServer(sandbox, ["--interval=0.2", "--signal-on-hup=USR1"], command: [try sandbox.reportingChild()])
        defer { server.stop() }
        let first = try await sandbox.waitForStatus([1])
        server.signal(SIGHUP)
        try await sandbox.waitForStatus([2])
        #expect(sandbox.read("report").contains("USR1 1 \(first[0].pid)"))
        server.signal(SIGTERM)
        try await server.waitForExit()
    }

    @Test("--signal-on-term chooses what children get on TERM; INT always sends TERM")
    func signalOnTerminate() async throws {
        let sandbox = try StartServerSandbox()
        let server = try self.startServer(sandbox, ["--interval=0.2", "--signal-on-term=USR1"], command: [try sandbox.reportingChild()])
        defer { server.stop() }
        let first = try await sandbox.waitForStatus([1])
        server.signal(SIGTERM)
        #expect(try await server.waitForExit() == 0)
        #expect(sandbox.read("report").contains("USR1 1 \(first[0].pid)"))
    }

    @Test("--restart waits for the new generation; --stop waits for the supervisor to exit")
    func restartAndStopClients() async throws {
        let sandbox = try StartServerSandbox()
        let server = try self.startServer(sandbox, ["--interval=0.2"], command: [try sandbox.reportingChild()])
        defer { server.stop() }
        try await sandbox.waitForStatus([1])
        let restart = try await runCommand(
            "start_server", ["--restart", "--pid-file=\(sandbox.file("pid"))", "--status-file=\(sandbox.file("status"))"])
        #expect(restart.status == 0, "\(restart.stderr)")
        #expect(sandbox.status().map(\.generation) == [2])
        let stop = try await runCommand("start_server", ["--stop", "--pid-file=\(sandbox.file("pid"))"])
        #expect(stop.status == 0, "\(stop.stderr)")
        // --stop returns only once the lock is gone, i.e. the supervisor has exited.
        try await server.waitForExit(timeout: .seconds(2))
        #expect(!sandbox.exists("pid"))
    }

    @Test("--restart and --stop without the files they need are usage errors")
    func clientModesNeedTheirFiles() async throws {
        #expect(try await runCommand("start_server", ["--restart", "--pid-file=/tmp/x"]).status == 64)
        #expect(try await runCommand("start_server", ["--stop"]).status == 64)
        let missing = try await runCommand("start_server", ["--stop", "--pid-file=/nonexistent-dir/pid"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent-dir/pid"))
    }

    @Test("--envdir is re-read before every spawn")
    func environmentDirectoryReload() async throws {
        let sandbox = try StartServerSandbox()
        try FileManager.default.createDirectory(atPath: sandbox.file("env"), withIntermediateDirectories: true)
        try "one\nignored second line\n".write(toFile: sandbox.file("env/FOO"), atomically: true, encoding: .utf8)
        try "hidden\n".write(toFile: sandbox.file("env/.BAR"), atomically: true, encoding: .utf8)
        let server = try self.startServer(sandbox, ["--interval=0.2", "--envdir=\(sandbox.file("env"))"], command: [try sandbox.reportingChild()])
        defer { server.stop() }
        try await sandbox.waitForStatus([1])
        #expect(sandbox.read("report").contains("start 1 ") && sandbox.read("report").contains("foo=one"))
        try "two\n".write(toFile: sandbox.file("env/FOO"), atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        try await sandbox.waitForStatus([2])
        let lines = sandbox.read("report").split(separator: "\n").filter { $0.hasPrefix("start 2 ") }
        #expect(lines.count == 1 && lines[0].hasSuffix("foo=two"))
        server.signal(SIGTERM)
        try await server.waitForExit()
    }

    @Test("a --path unix socket is created for the children and removed at exit")
    func unixSocketCleanup() async throws {
        let sandbox = try StartServerSandbox()
        let socketPath = sandbox.file("app.sock")
        let server = try self.startServer(sandbox, ["--interval=0.2", "--path=\(socketPath)"], command: [try sandbox.reportingChild()])
        defer { server.stop() }
        try await sandbox.waitForStatus([1])
        var info = stat()
        #expect(lstat(socketPath, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK)
        #expect((info.st_mode & 0o777) == 0o777)
        #expect(sandbox.read("report").contains("port=\(socketPath)="))
        server.signal(SIGTERM)
        try await server.waitForExit()
        #expect(!FileManager.default.fileExists(atPath: socketPath))
    }

    @Test("--port=HOST:PORT=5 places the listener on fd 5 of the child")
    func descriptorPlacement() async throws {
        let sandbox = try StartServerSandbox()
        let port = try freeLoopbackPort()
        let child = try sandbox.script(
            "fd.sh",
            """
            readlink /proc/$$/fd/5 > \(sandbox.file("fd5"))
            echo "$SERVER_STARTER_PORT" > \(sandbox.file("env"))
            exec \(try sandbox.reportingChild())
            """
        )
        let server = try self.startServer(sandbox, ["--interval=0.2", "--port=127.0.0.1:\(port)=5"], command: [child])
        defer { server.stop() }
        try await sandbox.waitForStatus([1])
        #expect(sandbox.read("env") == "127.0.0.1:\(port)=5\n")
        #expect(sandbox.read("fd5").hasPrefix("socket:"))
        #expect(loopbackAccepts(port))
        server.signal(SIGTERM)
        try await server.waitForExit()
    }

    @Test("--log-file appends to a file; --log-file='| cmd' pipes into a command")
    func logDestinations() async throws {
        let sandbox = try StartServerSandbox()
        for (option, logName) in [("--log-file=\(sandbox.file("file.log"))", "file.log"), ("--log-file=| cat >> \(sandbox.file("pipe.log"))", "pipe.log")] {
            let child = try sandbox.script("talk.sh", "echo child-says-hello\nexec \(try sandbox.reportingChild())")
            let server = try self.startServer(sandbox, ["--interval=0.2", option], command: [child])
            defer { server.stop() }
            try await sandbox.waitFor("child output in \(logName)") { sandbox.read(logName).contains("child-says-hello") ? true : nil }
            // The child may print before the supervisor logs the spawn; wait for both.
            try await sandbox.waitFor("spawn log in \(logName)") { sandbox.read(logName).contains("starting new worker") ? true : nil }
            server.signal(SIGTERM)
            #expect(try await server.waitForExit() == 0)
            try await sandbox.waitFor("'exiting' in \(logName)") { sandbox.read(logName).contains("exiting") ? true : nil }
            #expect(server.output.isEmpty)
        }
    }

    @Test("--daemonize returns at once and leaves a detached supervisor behind")
    func daemonize() async throws {
        let sandbox = try StartServerSandbox()
        let launch = try await runCommand(
            "start_server",
            [
                "--daemonize", "--log-file=\(sandbox.file("daemon.log"))", "--pid-file=\(sandbox.file("pid"))",
                "--status-file=\(sandbox.file("status"))", "--interval=0.2", "--", try sandbox.reportingChild(),
            ])
        #expect(launch.status == 0)
        let entries = try await sandbox.waitForStatus([1])
        let pid = try await sandbox.waitFor("pid file") { Int32(sandbox.read("pid").trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(getsid(pid) == pid || getsid(pid) != getsid(0))
        #expect(processIsAlive(entries[0].pid))
        let stop = try await runCommand("start_server", ["--stop", "--pid-file=\(sandbox.file("pid"))"])
        #expect(stop.status == 0)
        // `--stop` returns once the pid-file lock is released, which the kernel does a moment before the
        // exiting process stops being alive; wait (bounded) for that moment instead of racing it.
        try await sandbox.waitFor("supervisor \(pid) to be gone") { processIsAlive(pid) ? nil : true }
        #expect(sandbox.read("daemon.log").contains("exiting"))
    }

    @Test("--wait-ready switches only after READY=1 and gives up on a silent child")
    func waitReady() async throws {
        let sandbox = try StartServerSandbox()
        let child = try sandbox.script(
            "notify.sh",
            """
            if [ -e \(sandbox.file("silent")) ]; then exec \(try sandbox.reportingChild()); fi
            sleep 0.5
            /usr/bin/python3 -c 'import os, socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b"STATUS=up\\nREADY=1", os.environ["NOTIFY_SOCKET"])'
            exec \(try sandbox.reportingChild())
            """
        )
        let server = try self.startServer(sandbox, ["--wait-ready=2", "--interval=0.1"], command: [child])
        defer { server.stop() }
        try await sandbox.waitForStatus([1])
        FileManager.default.createFile(atPath: sandbox.file("silent"), contents: nil)
        server.signal(SIGHUP)
        try await server.waitForLine("readiness timeout") { $0.contains("did not report READY=1 within 2s") }
        // Generation 1 keeps serving while the silent ones are tried and retired.
        #expect(sandbox.status().contains { $0.generation == 1 })
        try FileManager.default.removeItem(atPath: sandbox.file("silent"))
        try await sandbox.waitFor("a ready generation after the silent ones") {
            let status = sandbox.status()
            return status.count == 1 && status[0].generation > 2 ? true : nil
        }
        server.signal(SIGTERM)
        try await server.waitForExit()
    }

    @Test(
        "bad values are usage errors (64) before anything is bound",
        arguments: [
            ["--port=127.0.0.1:PORT"],
            ["--port=127.0.0.1:PORT", "--signal-on-hup=BOGUS", "--", "true"],
            ["--port=127.0.0.1:PORT", "--port=not-a-port", "--", "true"],
            ["--port=127.0.0.1:PORT", "--port=127.0.0.1:80=x", "--", "true"],
            ["--port=127.0.0.1:PORT", "--daemonize", "--", "true"],
            ["--port=127.0.0.1:PORT", "--interval=-1", "--", "true"],
            ["--port=127.0.0.1:PORT", "--dir=/nonexistent-dir", "--", "true"],
        ]
    )
    func usageErrors(_ template: [String]) async throws {
        let port = try freeLoopbackPort()
        let arguments = template.map { $0.replacingOccurrences(of: "PORT", with: String(port)) }
        let result = try await runCommand("start_server", arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
        #expect(!loopbackAccepts(port))
    }

    @Test("an unwritable pid file fails before binding, naming the file")
    func unwritablePidFile() async throws {
        let port = try freeLoopbackPort()
        let result = try await runCommand("start_server", ["--port=127.0.0.1:\(port)", "--pid-file=/nonexistent-dir/pid", "--", "true"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("failed to open pid file /nonexistent-dir/pid"))
    }

    @Test("a second start_server on a locked pid file is refused")
    func lockedPidFile() async throws {
        let sandbox = try StartServerSandbox()
        let server = try self.startServer(sandbox, ["--interval=0.2"], command: [try sandbox.reportingChild()])
        defer { server.stop() }
        try await sandbox.waitForStatus([1])
        let second = try await runCommand("start_server", ["--pid-file=\(sandbox.file("pid"))", "--", "true"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("exclusive lock"))
        server.signal(SIGTERM)
        try await server.waitForExit()
    }

    @Test("--port=HOST:uPORT binds UDP and passes it like any listener")
    func udpPort() async throws {
        let sandbox = try StartServerSandbox()
        let port = try freeLoopbackPort()
        let child = try sandbox.script("udp.sh", "echo \"$SERVER_STARTER_PORT\" > \(sandbox.file("env"))\nexec \(try sandbox.reportingChild())")
        let server = try self.startServer(sandbox, ["--interval=0.2", "--port=127.0.0.1:u\(port)"], command: [child])
        defer { server.stop() }
        try await sandbox.waitForStatus([1])
        #expect(sandbox.read("env").hasPrefix("127.0.0.1:\(port)="))
        // The UDP port is taken (a plain bind fails) while TCP on the same number is not listening.
        let probe = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(bound == -1 && errno == EADDRINUSE)
        #expect(!loopbackAccepts(port))
        server.signal(SIGTERM)
        try await server.waitForExit()
    }

    @Test("--enable-auto-restart starts new generations by itself, delayed by --kill-old-delay")
    func autoRestart() async throws {
        let sandbox = try StartServerSandbox()
        let server = try self.startServer(
            sandbox, ["--interval=0.2", "--enable-auto-restart", "--auto-restart-interval=1", "--kill-old-delay=0.3"],
            command: [try sandbox.reportingChild()])
        defer { server.stop() }
        try await sandbox.waitForStatus([1])
        try await sandbox.waitForStatus([2])
        try await server.waitForLine("autorestart") { $0 == "autorestart triggered (interval=1)" }
        try await server.waitForLine("kill-old-delay") { $0 == "sleeping 0.3 secs before killing old workers" }
        server.signal(SIGTERM)
        try await server.waitForExit()
    }
}

import Foundation
import Testing

/// Interop, the real test: Perl servers (Starlet, Starman) take their listeners from our `start_server`, and the
/// original Perl `start_server` drives a Swift server built on PAGIFDInheritance. In each case a bounded `wrk`
/// load runs across three HUPs and must see no socket error and no non-2xx response.
///
/// Needs the Debian packages `starlet`, `starman`, `libserver-starter-perl` and `wrk` (`.ci/run` installs them),
/// and for the Perl-supervisor case the fixture built with
/// `swift build --package-path Packages/PAGIPrefork --product pagi-prefork-fixture`. Each test is skipped with
/// that message when its prerequisites are absent.
@Suite("start_server interop", .serialized)
struct StartServerInteropTests {
    static let wrk = "/usr/bin/wrk"
    static let plackup = "/usr/bin/plackup"
    static let starman = "/usr/bin/starman"
    static let perlStartServer = "/usr/bin/start_server"

    static func installed(_ paths: String...) -> Bool {
        paths.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The fixture binary next to the other executables, or in PAGIPrefork's own build folder.
    static var fixture: String? {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            ProcessInfo.processInfo.environment["PAGI_PREFORK_FIXTURE"] ?? "",
            executable("pagi-prefork-fixture"),
            repository.appendingPathComponent("Packages/PAGIPrefork/.build/release/pagi-prefork-fixture").path,
            repository.appendingPathComponent("Packages/PAGIPrefork/.build/debug/pagi-prefork-fixture").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `supervisor` with a pid and status file, puts `wrk` load on the port, sends three HUPs (each after
    /// the previous generation switch completed), and checks the load saw only successful responses.
    @discardableResult
    func hangupsUnderLoad(
        supervisor: [String], command: [String], sandbox: StartServerSandbox, port: UInt16, tolerateReadErrors: Bool = false
    ) async throws -> String {
        // Foundation's Process hands its thread's blocked-signal mask to the child, and Perl's start_server
        // never unblocks HUP; a Perl one-liner clears the mask before exec'ing the supervisor.
        let server = try RunningProcess(
            "/usr/bin/perl",
            ["-MPOSIX", "-e", "sigprocmask(SIG_SETMASK, POSIX::SigSet->new); exec @ARGV or die \"exec $ARGV[0]: $!\""] + supervisor + [
                "--port=127.0.0.1:\(port)", "--interval=1", "--pid-file=\(sandbox.file("pid"))", "--status-file=\(sandbox.file("status"))",
                "--",
            ] + command,
            currentDirectory: sandbox.path
        )
        defer { server.stop() }
        try await sandbox.waitForStatus([1])
        try await sandbox.waitFor("127.0.0.1:\(port) accepting") { loopbackAccepts(port) ? true : nil }

        let duration = 20  // generous: under load a Perl generation can take seconds to come up
        let started = ContinuousClock.now
        // Connection: close makes every request a fresh connection, so each one exercises accept() on the
        // shared listener while generations change underneath. RunningProcess (not runCommand) because
        // runCommand's blocking pipe reads would hold both cooperative threads of a 2-core machine for wrk's run.
        let load = try RunningProcess(
            Self.wrk, ["-t1", "-c4", "-d\(duration)s", "-H", "Connection: close", "http://127.0.0.1:\(port)/"])
        defer { load.stop() }
        for generation in 2...4 {
            try await Task.sleep(for: .milliseconds(500))  // let wrk put load on the current generation first
            server.signal(SIGHUP)
            // The switch is done once the new generation is listed; old Perl masters may take seconds to drain.
            try await sandbox.waitFor("generation \(generation) in the status file (now: \(sandbox.read("status")))") {
                sandbox.status().contains { $0.generation == generation } ? true : nil
            }
        }
        let switchesTook = ContinuousClock.now - started
        let status = try await load.waitForExit(timeout: .seconds(duration + 20))
        let report = load.output.joined(separator: "\n")
        try await sandbox.waitForStatus([4])
        #expect(switchesTook < .seconds(duration), "the three restarts must happen while wrk runs (took \(switchesTook))")
        #expect(status == 0, "\(report)")
        #expect(report.contains("requests in"), "\(report)")
        #expect(!report.contains("Non-2xx"), "\(report)")
        let errors = Self.socketErrors(report)
        #expect(errors.connect == 0 && errors.write == 0 && errors.timeout == 0, "\(report)")
        if !tolerateReadErrors { #expect(errors.read == 0, "\(report)") }
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(30)) == 0)
        return report
    }

    /// wrk's "Socket errors: connect A, read B, write C, timeout D" line (all zero when absent).
    static func socketErrors(_ report: String) -> (connect: Int, read: Int, write: Int, timeout: Int) {
        guard let line = report.split(separator: "\n").first(where: { $0.contains("Socket errors:") }) else { return (0, 0, 0, 0) }
        let numbers = line.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Int($0) }
        guard numbers.count == 4 else { return (-1, -1, -1, -1) }
        return (numbers[0], numbers[1], numbers[2], numbers[3])
    }

    func psgiApp(_ sandbox: StartServerSandbox) throws -> String {
        let path = sandbox.file("app.psgi")
        try "sub { [200, ['Content-Type' => 'text/plain'], [\"ok\\n\"]] }\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(
        "Starlet takes its listener from our start_server; three HUPs under wrk load lose nothing",
        .enabled(if: installed(wrk, plackup) && FileManager.default.fileExists(atPath: "/usr/share/perl5/Plack/Handler/Starlet.pm"),
                 "needs Debian packages starlet and wrk (apt-get install -y starlet wrk)")
    )
    func starletUnderOurStartServer() async throws {
        let sandbox = try StartServerSandbox()
        try await self.hangupsUnderLoad(
            supervisor: [executable("start_server")],
            command: [Self.plackup, "-s", "Starlet", "--max-workers=2", try self.psgiApp(sandbox)],
            sandbox: sandbox, port: try freeLoopbackPort())
    }

    @Test(
        "Starman takes its listener from our start_server; three HUPs under wrk load: no refused connection, no non-2xx",
        .enabled(if: installed(wrk, starman), "needs Debian packages starman and wrk (apt-get install -y starman wrk)")
    )
    func starmanUnderOurStartServer() async throws {
        let sandbox = try StartServerSandbox()
        // Starman drops in-flight connections on TERM; its documented graceful-stop signal is QUIT.
        let report = try await self.hangupsUnderLoad(
            supervisor: [executable("start_server"), "--signal-on-hup=QUIT"],
            command: [Self.starman, "--workers=2", try self.psgiApp(sandbox)],
            sandbox: sandbox, port: try freeLoopbackPort(), tolerateReadErrors: true)
        // Even with QUIT, a retiring Starman resets a few connections it had accepted; the original Perl
        // start_server shows the same count (2 read errors in 23k requests, same load, 2026-11-22). No
        // connection is ever refused, which is the supervisor's part of the contract.
        withKnownIssue("Starman resets a few accepted connections while retiring, under Perl's start_server too", isIntermittent: true) {
            #expect(Self.socketErrors(report).read == 0, "\(report)")
        }
    }

    @Test(
        "the original Perl start_server drives a Swift server built on PAGIFDInheritance; three HUPs lose nothing",
        .enabled(
            if: installed(wrk, perlStartServer) && fixture != nil,
            "needs Debian packages libserver-starter-perl and wrk, and `swift build --package-path Packages/PAGIPrefork --product pagi-prefork-fixture`")
    )
    func swiftServerUnderPerlStartServer() async throws {
        let sandbox = try StartServerSandbox()
        let fixture = try #require(Self.fixture)
        try await self.hangupsUnderLoad(
            supervisor: [Self.perlStartServer], command: [fixture], sandbox: sandbox, port: try freeLoopbackPort())
    }

    @Test(
        "the Swift fixture under our own start_server, for symmetry",
        .enabled(if: installed(wrk) && fixture != nil, "needs wrk and the pagi-prefork-fixture build")
    )
    func swiftServerUnderOurStartServer() async throws {
        let sandbox = try StartServerSandbox()
        let fixture = try #require(Self.fixture)
        try await self.hangupsUnderLoad(
            supervisor: [executable("start_server")], command: [fixture], sandbox: sandbox, port: try freeLoopbackPort())
    }
}

import Foundation
import Testing

@Suite("pagi-server command line")
struct PAGIServerCLITests {
    @Test("--version prints the program and the PAGI version")
    func version() async throws {
        let result = try await runCommand("pagi-server", ["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("pagi-server"))
        #expect(result.stdout.contains("PAGI 0.3"))
    }

    @Test("--help describes the command")
    func help() async throws {
        let result = try await runCommand("pagi-server", ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: pagi-server"))
    }

    @Test("an unknown flag is a usage error (exit 64) naming the flag")
    func unknownFlag() async throws {
        let result = try await runCommand("pagi-server", ["--no-such-flag"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--no-such-flag"))
    }
}

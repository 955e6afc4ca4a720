import Foundation
import Testing

/// Runs the built `pagi-logfmt` with `arguments` (and optional standard input).
private func logfmt(_ arguments: [String], stdin: String? = nil) async throws -> CommandResult {
    try await runCommand("pagi-logfmt", arguments, stdin: stdin)
}

@Suite("pagi-logfmt command line")
struct PAGILogfmtCLITests {
    static let combinedLine =
        #"127.0.0.1 - - [22/Nov/2026:03:34:43 +0000] "GET /index.html?lang=en HTTP/1.1" 200 1024 "http://example.com/" "curl/8.5.0""#

    // MARK: check

    @Test("check expands a preset to its normalised format, exit 0")
    func checkPreset() async throws {
        let result = try await logfmt(["check", "combined"])
        #expect(result.status == 0)
        #expect(result.stdout == #"%h - - [%t] "%r" %s %b "%{Referer}i" "%{User-Agent}i""# + "\n")
    }

    @Test("check normalises spelling (%>s → %s) and keeps literal %%")
    func checkNormalises() async throws {
        let result = try await logfmt(["check", "100%% %>s"])
        #expect(result.status == 0)
        #expect(result.stdout == "100%% %s\n")
    }

    @Test("check reports an unknown atom with its column and a caret, exit 1")
    func checkUnknownAtom() async throws {
        let result = try await logfmt(["check", #"%h - - [%t] "%Z""#])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("error: unknown atom '%Z' at column 14") == true)
        #expect(lines.count >= 3)
        if lines.count >= 3 {
            #expect(lines[1] == #"  %h - - [%t] "%Z""#)
            #expect(lines[2] == "  " + String(repeating: " ", count: 13) + "^")
        }
    }

    @Test(
        "check reports each compile error kind, exit 1",
        arguments: [
            ("%{Referer", "unterminated '%{' at column 1"),
            ("%h %{Referer}", "missing selector after '%{Referer}' at column 4"),
            ("%h %", "dangling '%' at column 4"),
            ("%{}i", "empty argument in '%{}i' at column 1"),
        ]
    )
    func checkErrors(_ format: String, _ message: String) async throws {
        let result = try await logfmt(["check", format])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: " + message))
    }

    @Test("check without a format is a usage error, exit 2")
    func checkMissingArgument() async throws {
        let result = try await logfmt(["check"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Usage: pagi-logfmt check"))
    }

    // MARK: render

    @Test("render prints the built-in sample request")
    func renderSample() async throws {
        let result = try await logfmt(["render", "combined"])
        #expect(result.status == 0)
        #expect(result.stdout == Self.combinedLine + "\n")
    }

    @Test("render applies --set overrides, escaping request data")
    func renderSettings() async throws {
        let result = try await logfmt([
            "render", "clf", "--set", "client=unix", "--set", "status=404", "--set", "path=/a\"b", "--set", "query=",
            "--set", "duration=1.0005",
        ])
        #expect(result.status == 0)
        #expect(result.stdout == #"unix - - [22/Nov/2026:03:34:43 +0000] "GET /a\"b" 404 1.000s"# + "\n")
    }

    @Test("render with an unknown --set key is a usage error, exit 2")
    func renderUnknownKey() async throws {
        let result = try await logfmt(["render", "clf", "--set", "colour=blue"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown key 'colour'"))
    }

    @Test("render with a bad --set value is a usage error, exit 2")
    func renderBadValue() async throws {
        let result = try await logfmt(["render", "clf", "--set", "status=abc"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("status must be a whole number"))
    }

    @Test("render with a format that does not compile exits 1")
    func renderBadFormat() async throws {
        let result = try await logfmt(["render", "%Q"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: unknown atom '%Q' at column 1"))
    }

    // MARK: parse

    @Test("parse turns rendered lines into JSON Lines, exit 0")
    func parseStdin() async throws {
        let result = try await logfmt(["parse", "combined"], stdin: Self.combinedLine + "\n" + Self.combinedLine + "\n")
        #expect(result.status == 0)
        let objects = result.stdout.split(separator: "\n")
        #expect(objects.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data((objects.first ?? "").utf8)) as? [String: String]
        #expect(first?["client"] == "127.0.0.1")
        #expect(first?["request"] == "GET /index.html?lang=en HTTP/1.1")
        #expect(first?["request_header:user-agent"] == "curl/8.5.0")
        #expect(first?["status"] == "200")
    }

    @Test("parse reads a FILE argument and undoes escaping")
    func parseFile() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pagi-logfmt-\(UUID().uuidString).log")
        try Data(#"GET /a\"b\x0a 200 7ms"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try await logfmt(["parse", "tiny", url.path])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String]
        #expect(object?["path"] == "/a\"b\n")
        #expect(object?["duration_us"] == "7")
    }

    @Test("parse reports non-matching lines by number on stderr, prints the rest, exit 1")
    func parseMismatch() async throws {
        let result = try await logfmt(["parse", "tiny"], stdin: "GET / 200 5ms\nnot a log line\nGET /x 404 9ms\n")
        #expect(result.status == 1)
        #expect(result.stdout.split(separator: "\n").count == 2)
        #expect(result.stderr.contains("line 2: line does not match the format"))
        #expect(!result.stderr.contains("line 1:"))
        #expect(!result.stderr.contains("line 3:"))
    }

    @Test("parse of a missing file exits 1 naming the file")
    func parseMissingFile() async throws {
        let result = try await logfmt(["parse", "tiny", "/nonexistent/pagi-logfmt.log"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/pagi-logfmt.log"))
    }

    // MARK: atoms, presets, help, usage

    @Test("atoms lists every atom with its field name")
    func atoms() async throws {
        let result = try await logfmt(["atoms"])
        #expect(result.status == 0)
        for syntax in ["%h", "%t", "%{Name}i", "%{Name}o", "%{sec}t", "%X", "%k", "%%"] {
            #expect(result.stdout.contains(syntax), "\(syntax)")
        }
        #expect(result.stdout.contains("request_header:name"))
    }

    @Test("presets lists the four presets and marks the default")
    func presets() async throws {
        let result = try await logfmt(["presets"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("clf *"))
        for line in [#"%h - - [%t] "%m %U%q" %s %ds"#, "%m %U%q %s %Dms"] {
            #expect(result.stdout.contains(line))
        }
    }

    @Test("--help works for the tool and every subcommand", arguments: [[], ["check"], ["render"], ["parse"], ["atoms"], ["presets"]])
    func help(_ subcommand: [String]) async throws {
        let result = try await logfmt(subcommand + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: pagi-logfmt"))
    }

    @Test("an unknown subcommand or option is a usage error, exit 2")
    func usageErrors() async throws {
        let unknownSubcommand = try await logfmt(["frobnicate"])
        #expect(unknownSubcommand.status == 2)
        let unknownOption = try await logfmt(["check", "clf", "--no-such-option"])
        #expect(unknownOption.status == 2)
        #expect(unknownOption.stderr.contains("--no-such-option"))
    }
}

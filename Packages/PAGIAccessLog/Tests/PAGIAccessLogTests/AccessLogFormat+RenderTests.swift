import Testing

@testable import PAGIAccessLog

@Suite("AccessLogFormat+Render")
struct AccessLogFormatRenderTests {
    @Test(
        "every atom on a fully populated entry",
        arguments: [
            ("%h", "192.0.2.7"), ("%a", "192.0.2.7"), ("%A", "127.0.0.1"), ("%p", "8080"),
            ("%l", "-"), ("%u", "-"), ("%t", "29/Feb/2024:12:34:56 +0000"),
            ("%{%Y-%m-%dT%H:%M:%S%z}t", "2024-02-29T12:34:56+0000"), ("%{sec}t", "1709210096"),
            ("%{msec}t", "1709210096123"), ("%{usec}t", "1709210096123456"), ("%{msec_frac}t", "123"),
            ("%{usec_frac}t", "123456"), ("%r", "POST /api/items?page=2&sort=name HTTP/1.1"), ("%m", "POST"),
            ("%U", "/api/items"), ("%q", "?page=2&sort=name"), ("%H", "HTTP/1.1"), ("%s", "201"), ("%>s", "201"),
            ("%b", "1234"), ("%B", "1234"), ("%I", "512"), ("%O", "1400"), ("%d", "0.012"), ("%D", "12345"),
            ("%T", "0"), ("%{Referer}i", "http://r/"), ("%{referer}i", "http://r/"), ("%{X-DUP}i", "first"),
            ("%{Missing}i", "-"), ("%{content-type}o", "application/json"), ("%{ETag}o", #"\"v1\""#),
            ("%{Referer}o", "-"), ("%P", "4242"), ("%k", "3"), ("%X", "+"), ("%%", "%"), ("a%%b", "a%b"),
        ]
    )
    func atom(_ format: String, _ expected: String) throws {
        #expect(try render(format) == expected)
    }

    @Test(
        "every atom on an entry where nothing is known",
        arguments: [
            ("%h", "-"), ("%a", "-"), ("%A", "-"), ("%p", "-"), ("%t", "01/Jan/1970:00:00:00 +0000"),
            ("%r", "- / HTTP/1.1"), ("%m", "-"), ("%U", "/"), ("%q", ""), ("%H", "HTTP/1.1"), ("%s", "-"),
            ("%b", "-"), ("%B", "0"), ("%I", "0"), ("%O", "0"), ("%d", "0.000"), ("%D", "0"), ("%T", "0"),
            ("%{Referer}i", "-"), ("%{Server}o", "-"), ("%P", "0"), ("%k", "0"), ("%X", "-"),
            ("%{sec}t", "0"), ("%{usec_frac}t", "000000"),
        ]
    )
    func defaults(_ format: String, _ expected: String) throws {
        #expect(try render(format, emptyEntry()) == expected)
    }

    @Test("Unix-socket peers print unix and no port")
    func unixPeer() throws {
        var entry = sampleEntry()
        entry.client = .unix
        entry.server = .unix
        #expect(try render("%h %a %A %p", entry) == "unix unix unix -")
    }

    @Test("an empty query prints no ? in %q and %r")
    func emptyQuery() throws {
        var entry = sampleEntry()
        entry.query = ""
        #expect(try render("%U%q|%r", entry) == "/api/items|POST /api/items HTTP/1.1")
    }

    @Test("%X prints X, + and - for the three connection fates")
    func connectionStatus() throws {
        var entry = sampleEntry()
        var printed: [String] = []
        for status in [AccessLogConnectionStatus.aborted, .keptAlive, .closed] {
            entry.connectionStatus = status
            printed.append(try render("%X", entry))
        }
        #expect(printed == ["X", "+", "-"])
    }

    @Test("%b is - only for zero; negative byte counts print as zero")
    func byteCounts() throws {
        var entry = sampleEntry()
        entry.bodyBytes = 1
        #expect(try render("%b %B", entry) == "1 1")
        entry.bodyBytes = 0
        #expect(try render("%b %B", entry) == "- 0")
        entry.bodyBytes = -5
        #expect(try render("%b %B", entry) == "- 0")
    }

    @Test("reference example: clf")
    func referenceClf() throws {
        let entry = Entry(
            client: .ip(address: "127.0.0.1", port: 40_000), method: "GET", path: "/scope", query: "x=%20y",
            httpVersion: "1.1", status: 200, requestHeaders: [], responseHeaders: [], startTime: referenceClfInstant,
            duration: .microseconds(120)
        )
        #expect(
            AccessLogFormat(preset: .clf).renderString(entry)
                == #"127.0.0.1 - - [22/Nov/2026:03:34:43 +0000] "GET /scope?x=%20y" 200 0.000s"#
        )
    }

    @Test("reference example: combined, and common from the same request")
    func referenceCombinedAndCommon() throws {
        let entry = Entry(
            client: .ip(address: "127.0.0.1", port: 40_000), method: "GET", path: "/x", httpVersion: "1.1",
            status: 200, bodyBytes: 2, requestHeaders: [("referer", "http://r/"), ("user-agent", "UA/1")],
            responseHeaders: [], startTime: referenceCombinedInstant
        )
        #expect(
            AccessLogFormat(preset: .combined).renderString(entry)
                == #"127.0.0.1 - - [22/Nov/2026:03:35:44 +0000] "GET /x HTTP/1.1" 200 2 "http://r/" "UA/1""#
        )
        #expect(
            AccessLogFormat(preset: .common).renderString(entry)
                == #"127.0.0.1 - - [22/Nov/2026:03:35:44 +0000] "GET /x HTTP/1.1" 200 2"#
        )
    }

    @Test("reference quirk kept: tiny prints microseconds labelled ms")
    func referenceTiny() throws {
        let entry = Entry(
            method: "GET", path: "/x", status: 200, requestHeaders: [], responseHeaders: [],
            duration: .microseconds(12_300)
        )
        #expect(AccessLogFormat(preset: .tiny).renderString(entry) == "GET /x 200 12300ms")
    }

    @Test("combined without Referer and User-Agent prints dashes")
    func combinedMissingHeaders() throws {
        var entry = sampleEntry()
        entry.requestHeaders = []
        #expect(try render("combined", entry).hasSuffix(#" "-" "-""#))
    }

    @Test("values are escaped so a client cannot forge a line")
    func escapingInRender() throws {
        var entry = sampleEntry()
        entry.path = "/a\"b\\c\nd"
        entry.requestHeaders = [("User-Agent", "x\r\n127.0.0.1 - - [forged]\u{7F}é")]
        #expect(try render("%U", entry) == #"/a\"b\\c\x0ad"#)
        #expect(try render("%{User-Agent}i", entry) == #"x\x0d\x0a127.0.0.1 - - [forged]\x7f\xc3\xa9"#)
        #expect(try !render("combined", entry).contains("\n"))
    }

    @Test("strftime output with control bytes is escaped too")
    func strftimeEscaped() throws {
        #expect(try render("%{%H%n%M}t") == #"12\x0a34"#)
    }

    @Test("render appends to the buffer and reuses its capacity")
    func appendsToBuffer() throws {
        let format = AccessLogFormat(preset: .combined)
        var buffer: [UInt8] = Array("prefix:".utf8)
        format.render(sampleEntry(), into: &buffer)
        let line = String(decoding: buffer, as: UTF8.self)
        #expect(line == "prefix:" + format.renderString(sampleEntry()))
        let capacity = buffer.capacity
        buffer.removeAll(keepingCapacity: true)
        format.render(sampleEntry(), into: &buffer)
        #expect(buffer.capacity == capacity)
    }

    @Test("duration atoms: %D and %T truncate, %d rounds like the reference's %.3f")
    func durations() throws {
        var entry = sampleEntry()
        entry.duration = .nanoseconds(2_999_999_999)
        #expect(try render("%d %D %T", entry) == "3.000 2999999 2")
        entry.duration = .seconds(-1)
        #expect(try render("%d %D %T", entry) == "0.000 0 0")
    }
}

/// The compiled render program: constant atoms folded into literals, each step an atom plus the
/// text after it.
@Suite("AccessLogFormat compiled program")
struct AccessLogFormatProgramTests {
    @Test("combined compiles to 7 steps: one per atom with output, %l and %u folded into the text")
    func combinedShape() {
        let format = AccessLogFormat(preset: .combined)
        #expect(format.instructions.count == 7)
        #expect(!format.instructions.contains { $0.operation == .dash || $0.operation == .literal })
    }

    @Test(
        "literal runs of every shape render as written",
        arguments: [
            ("%l", "-"), ("%l%u", "--"), ("[%l]", "[-]"), ("lead %h", "lead 192.0.2.7"),
            ("%h trail", "192.0.2.7 trail"), ("%%%l%%", "%-%"),
            ("a literal longer than sixteen bytes %s and another one after it", "a literal longer than sixteen bytes 201 and another one after it"),
            ("%s%s", "201201"), ("", ""), ("x", "x"), ("0123456789abcdef%s0123456789abcdefg", "0123456789abcdef2010123456789abcdefg"),
        ]
    )
    func literalShapes(_ format: String, _ expected: String) throws {
        #expect(try render(format) == expected)
    }

    @Test("every preset renders the same line from the folded program as atom by atom")
    func foldedMatchesUnfolded() throws {
        for preset in AccessLogPreset.allCases {
            let format = AccessLogFormat(preset: preset)
            // Render each component alone and join: no folding across components possible.
            var joined = ""
            for component in format.components {
                switch component {
                case .literal(let text): joined += text
                case .atom(let atom): joined += try render(atom.syntax)
                }
            }
            #expect(try render(preset.rawValue) == joined, "preset \(preset.rawValue)")
        }
    }
}


import PAGIFDInheritance
import Testing

@Suite struct PAGIReuseTests {
    @Test func parsesTheReferenceExample() throws {
        #expect(
            try PAGIReuse.parse("0.0.0.0:8080:3,unix:/run/pagi/app.sock:4")
                == [.init(spec: .tcp(host: "0.0.0.0", port: 8080), descriptor: 3), .init(spec: .unix(path: "/run/pagi/app.sock"), descriptor: 4)]
        )
    }

    @Test func parsesBareAndBracketedIPv6AsTheSameAddress() throws {
        let expected = [PAGIReuse.Entry(spec: .tcp(host: "::1", port: 5000), descriptor: 3)]
        #expect(try PAGIReuse.parse("::1:5000:3") == expected)
        #expect(try PAGIReuse.parse("[::1]:5000:3") == expected)
    }

    @Test func unixPathsMayContainColons() throws {
        #expect(try PAGIReuse.parse("unix:/tmp/a:b:7") == [.init(spec: .unix(path: "/tmp/a:b"), descriptor: 7)])
    }

    @Test func emptyValueMeansNoListeners() throws {
        #expect(try PAGIReuse.parse("").isEmpty)
    }

    @Test func portBoundaries() throws {
        #expect(try PAGIReuse.parse("h:65535:3") == [.init(spec: .tcp(host: "h", port: 65535), descriptor: 3)])
        #expect(throws: FDInheritanceError.self) { try PAGIReuse.parse("h:65536:3") }
    }

    @Test(arguments: [
        ("8080", "8080", "expected HOST:PORT:FD"),
        ("8080:3", "8080:3", "expected HOST:PORT:FD"),
        (":8080:3", ":8080:3", "the host is empty"),
        ("host:http:3", "host:http:3", "'http' is not a port number"),
        ("host:8080:fd", "host:8080:fd", "'fd' is not a descriptor number"),
        ("host:8080:", "host:8080:", "'' is not a descriptor number"),
        ("unix::4", "unix::4", "the unix socket path is empty"),
        ("[::1:5000:3", "[::1:5000:3", "unbalanced brackets"),
        ("[[::1]]:5000:3", "[[::1]]:5000:3", "brackets may only enclose the whole IPv6 host"),
        ("a]:5000:3", "a]:5000:3", "brackets may only enclose the whole IPv6 host"),
        ("a:1:3,,b:2:4", "", "the entry is empty"),
        ("a:1:3,", "", "the entry is empty"),
    ])
    func rejectsMalformedEntriesNamingThem(value: String, entry: String, reason: String) {
        #expect {
            try PAGIReuse.parse(value)
        } throws: { error in
            guard let error = error as? FDInheritanceError else { return false }
            return error.code == .malformedEnvironmentEntry && error.description.contains("PAGI_REUSE entry '\(entry)'")
                && error.description.contains(reason)
        }
    }

    @Test func rendersUnbracketedIPv6AndRoundTrips() throws {
        let entries: [PAGIReuse.Entry] = [
            .init(spec: .tcp(host: "0.0.0.0", port: 8080), descriptor: 3),
            .init(spec: .tcp(host: "::1", port: 8081), descriptor: 4),
            .init(spec: .unix(path: "/run/a:b.sock"), descriptor: 5),
        ]
        let value = try PAGIReuse.render(entries)
        #expect(value == "0.0.0.0:8080:3,::1:8081:4,unix:/run/a:b.sock:5")
        #expect(try PAGIReuse.parse(value) == entries)
    }

    @Test func rendersPortOnlyAsAllIPv4Interfaces() throws {
        #expect(try PAGIReuse.render([.init(spec: .tcp(host: nil, port: 80), descriptor: 3)]) == "0.0.0.0:80:3")
    }

    @Test func refusesUDPAndPathsContainingTheSeparator() {
        #expect(throws: FDInheritanceError.self) { try PAGIReuse.render([.init(spec: .udp(host: nil, port: 53), descriptor: 3)]) }
        #expect(throws: FDInheritanceError.self) { try PAGIReuse.render([.init(spec: .unix(path: "/tmp/a,b"), descriptor: 3)]) }
    }
}

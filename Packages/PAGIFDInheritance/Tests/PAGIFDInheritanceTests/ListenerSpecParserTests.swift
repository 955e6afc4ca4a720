import PAGIFDInheritance
import Testing

@Suite struct ListenerSpecParserTests {
    @Test(arguments: [
        ("5000", ListenerSpec.tcp(host: nil, port: 5000)),
        ("0", .tcp(host: nil, port: 0)),
        ("65535", .tcp(host: nil, port: 65535)),
        ("127.0.0.1:5000", .tcp(host: "127.0.0.1", port: 5000)),
        ("localhost:80", .tcp(host: "localhost", port: 80)),
        ("[::1]:5000", .tcp(host: "::1", port: 5000)),
        ("[::]:8080", .tcp(host: "::", port: 8080)),
        ("[fe80::1:2]:1", .tcp(host: "fe80::1:2", port: 1)),
        ("u53", .udp(host: nil, port: 53)),
        ("127.0.0.1:u53", .udp(host: "127.0.0.1", port: 53)),
        ("[::1]:u5353", .udp(host: "::1", port: 5353)),
        ("/run/app.sock", .unix(path: "/run/app.sock")),
        ("/tmp/with:colon:80", .unix(path: "/tmp/with:colon:80")),
        ("./app.sock", .unix(path: "./app.sock")),
        ("@abstract", .unix(path: "@abstract")),
    ])
    func parsesServerStarterSyntax(text: String, expected: ListenerSpec) throws {
        #expect(try ListenerSpec(parsing: text, syntax: .serverStarter) == expected)
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("65536", "port 65536 is out of range"),
        ("host:99999", "port 99999 is out of range"),
        ("app.sock", "neither a port nor HOST:PORT"),
        ("host:", "neither a port nor HOST:PORT"),
        (":80", "neither a port nor HOST:PORT"),
        ("::1:80", "neither a port nor HOST:PORT"),
        ("[::1]", "not a bracketed IPv6 address"),
        ("[127.0.0.1]:80", "not a bracketed IPv6 address"),
        ("[::1:80", "not a bracketed IPv6 address"),
        ("[::1]:http", "'http' is not a port number"),
        ("uu53", "neither a port nor HOST:PORT"),
    ])
    func rejectsMalformedServerStarterSpecs(text: String, reason: String) {
        #expect {
            try ListenerSpec(parsing: text, syntax: .serverStarter)
        } throws: { error in
            guard let error = error as? FDInheritanceError else { return false }
            return error.code == .invalidListenerSpec && error.description.contains("'\(text)'") && error.description.contains(reason)
        }
    }

    @Test func listenOptionTreatsBareWordsAsUnixPathsAndRefusesUDP() throws {
        #expect(try ListenerSpec(parsing: "app.sock", syntax: .listenOption) == .unix(path: "app.sock"))
        #expect(try ListenerSpec(parsing: "host:http", syntax: .listenOption) == .unix(path: "host:http"))
        #expect(try ListenerSpec(parsing: "u53", syntax: .listenOption) == .unix(path: "u53"))
        #expect(try ListenerSpec(parsing: "0.0.0.0:8080", syntax: .listenOption) == .tcp(host: "0.0.0.0", port: 8080))
        #expect(try ListenerSpec(parsing: "8080", syntax: .listenOption) == .tcp(host: nil, port: 8080))
    }

    @Test(arguments: [
        (ListenerSpec.tcp(host: nil, port: 8080), "8080"),
        (.tcp(host: "127.0.0.1", port: 80), "127.0.0.1:80"),
        (.tcp(host: "::1", port: 80), "[::1]:80"),
        (.udp(host: nil, port: 53), "53"),
        (.unix(path: "/tmp/a.sock"), "/tmp/a.sock"),
    ])
    func describesInServerStarterForm(spec: ListenerSpec, text: String) throws {
        #expect(spec.description == text)
        if case .udp = spec { return }
        #expect(try ListenerSpec(parsing: text) == spec)
    }
}

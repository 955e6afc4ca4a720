import Testing

@testable import PAGIServer

@Suite("PAGIListenAddress")
struct PAGIListenAddressTests {
    @Test(
        "--listen values parse as the reference CLI does",
        arguments: [
            ("127.0.0.1:8080", PAGIListenAddress.tcp(host: "127.0.0.1", port: 8080)),
            ("0.0.0.0:0", .tcp(host: "0.0.0.0", port: 0)),
            ("[::1]:5000", .tcp(host: "::1", port: 5000)),
            ("localhost:65535", .tcp(host: "localhost", port: 65535)),
            ("/tmp/app.sock", .unix(path: "/tmp/app.sock", mode: nil)),
            ("./rel:8080", .unix(path: "./rel:8080", mode: nil)),
            ("app.sock", .unix(path: "app.sock", mode: nil)),
            ("host:http", .unix(path: "host:http", mode: nil)),
        ]
    )
    func parses(spec: String, expected: PAGIListenAddress) throws {
        #expect(try PAGIListenAddress(parsing: spec) == expected)
    }

    @Test("a socket mode is attached to Unix listeners only")
    func socketMode() throws {
        #expect(try PAGIListenAddress(parsing: "/tmp/s", socketMode: 0o660) == .unix(path: "/tmp/s", mode: 0o660))
        #expect(try PAGIListenAddress(parsing: "127.0.0.1:1", socketMode: 0o660) == .tcp(host: "127.0.0.1", port: 1))
    }

    @Test("port 65536 and an empty host or value are refused with a message naming the value", arguments: ["127.0.0.1:65536", ":80", ""])
    func rejects(spec: String) {
        #expect(throws: PAGIServerConfigurationError.self) { try PAGIListenAddress(parsing: spec) }
    }

    @Test("banner form")
    func description() {
        #expect(PAGIListenAddress.tcp(host: "127.0.0.1", port: 80).description == "http://127.0.0.1:80/")
        #expect(PAGIListenAddress.tcp(host: "::1", port: 80).description == "http://[::1]:80/")
        #expect(PAGIListenAddress.unix(path: "/x", mode: nil).description == "unix:/x")
    }
}

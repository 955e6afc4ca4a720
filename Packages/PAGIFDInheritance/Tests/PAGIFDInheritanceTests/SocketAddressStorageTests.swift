import Glibc
import Testing

@testable import PAGIFDInheritance

/// The C address layer alone: what we build for `bind` must read back as the same public address.
@Suite struct SocketAddressStorageTests {
    @Test(arguments: [
        ("127.0.0.1", UInt16(80), ListenerAddress.ipv4(host: "127.0.0.1", port: 80)),
        ("0.0.0.0", 0, .ipv4(host: "0.0.0.0", port: 0)),
        ("::1", 65535, .ipv6(host: "::1", port: 65535)),
        ("0:0:0:0:0:0:0:1", 8080, .ipv6(host: "::1", port: 8080)),
        ("::ffff:10.0.0.1", 1, .ipv6(host: "::ffff:10.0.0.1", port: 1)),
    ])
    func numericHostsRoundTrip(host: String, port: UInt16, expected: ListenerAddress) throws {
        let storage = try #require(SocketAddressStorage(numericHost: host, port: port))
        #expect(storage.listenerAddress == expected)
    }

    @Test(arguments: ["localhost", "", "1.2.3", "::g", "[::1]", "127.0.0.1 "])
    func nonNumericHostsAreNotAddresses(host: String) {
        #expect(SocketAddressStorage(numericHost: host, port: 1) == nil)
    }

    @Test func unixPathsRoundTripWithTheirLength() throws {
        let storage = try SocketAddressStorage(unixPath: "/run/app.sock")
        #expect(storage.family == AF_UNIX)
        #expect(Int(storage.length) == 2 + "/run/app.sock".utf8.count + 1)
        #expect(storage.listenerAddress == .unix(path: "/run/app.sock"))
    }

    @Test func abstractNamesAreLengthDelimited() throws {
        let storage = try SocketAddressStorage(unixPath: "@name")
        #expect(Int(storage.length) == 2 + 5)
        #expect(storage.listenerAddress == .unix(path: "@name"))
    }

    @Test func pathLengthLimitIsTheKernels() throws {
        #expect(SocketAddressStorage.maximumUnixPathLength == 107)
        let longest = "/" + String(repeating: "a", count: 106)
        #expect(try SocketAddressStorage(unixPath: longest).listenerAddress == .unix(path: longest))
        #expect(throws: FDInheritanceError.self) { try SocketAddressStorage(unixPath: longest + "a") }
        let longestAbstract = "@" + String(repeating: "a", count: 106)
        #expect(try SocketAddressStorage(unixPath: longestAbstract).listenerAddress == .unix(path: longestAbstract))
    }

    @Test func nulBytesAreRejected() {
        #expect(throws: FDInheritanceError.self) { try SocketAddressStorage(unixPath: "/tmp/a\u{0}b") }
    }

    @Test func unnamedUnixSocketReadsAsEmptyPath() throws {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(try SocketInspector.boundAddress(of: fds[0], subject: "socketpair", descriptor: .foreign) == .unix(path: ""))
    }
}

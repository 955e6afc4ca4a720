import Glibc
import PAGIFDInheritance
import Testing

@Suite struct ListenerMatcherTests {
    /// Binds `specs`, lets go of them and adopts them again through `PAGI_REUSE`/`SERVER_STARTER_PORT`.
    private func inherit(_ specs: [ListenerSpec], via source: InheritanceSource = .serverStarter) throws -> [InheritedListener] {
        var entries: [String] = []
        for spec in specs {
            let stray = try strayListener(spec)
            switch source {
            case .pagiReuse:
                switch stray.address {
                case .ipv4(let host, let port), .ipv6(let host, let port): entries.append("\(host):\(port):\(stray.fd)")
                case .unix(let path): entries.append("unix:\(path):\(stray.fd)")
                }
            case .serverStarter, .systemd:
                entries.append("\(stray.address)=\(stray.fd)")
            }
        }
        let environment =
            source == .pagiReuse ? ["PAGI_REUSE": entries.joined(separator: ",")] : ["SERVER_STARTER_PORT": entries.joined(separator: ";")]
        return try InheritedListenerDiscovery.discover(environment: environment, processID: getpid())
    }

    private func closeAll(_ listeners: [InheritedListener]) {
        for listener in listeners { try? listener.socket.close() }
    }

    @Test func matchesByVerifiedAddressAndReportsLeftovers() throws {
        let directory = try TemporaryDirectory()
        let inherited = try inherit([.tcp(host: "127.0.0.1", port: 0), .unix(path: directory.path + "/m.sock"), .tcp(host: "::1", port: 0)])
        defer { closeAll(inherited) }
        let v4Port = try #require(inherited[0].address.port)
        let configured: [ListenerSpec] = [
            .unix(path: directory.path + "/./m.sock"),
            .tcp(host: "127.0.0.1", port: v4Port),
            .tcp(host: "127.0.0.1", port: 9),
        ]
        let result = ListenerMatcher.match(configured: configured, inherited: inherited)
        #expect(result.assignments.map(\.spec) == [configured[0], configured[1]])
        #expect(result.assignments.map(\.listener.descriptor) == [inherited[1].descriptor, inherited[0].descriptor])
        #expect(result.unmatchedSpecs == [.tcp(host: "127.0.0.1", port: 9)])
        #expect(result.unmatchedListeners.map(\.descriptor) == [inherited[2].descriptor])
    }

    @Test func wildcardAndLoopbackAreDifferentListeners() throws {
        let inherited = try inherit([.tcp(host: "127.0.0.1", port: 0)])
        defer { closeAll(inherited) }
        let port = try #require(inherited[0].address.port)
        let result = ListenerMatcher.match(configured: [.tcp(host: "0.0.0.0", port: port), .tcp(host: nil, port: port)], inherited: inherited)
        #expect(result.assignments.isEmpty)
        #expect(result.unmatchedListeners.count == 1)
    }

    @Test func portOnlySpecMatchesTheIPv4Wildcard() throws {
        let inherited = try inherit([.tcp(host: nil, port: 0)])
        defer { closeAll(inherited) }
        let port = try #require(inherited[0].address.port)
        let result = ListenerMatcher.match(configured: [.tcp(host: nil, port: port)], inherited: inherited)
        #expect(result.assignments.count == 1)
    }

    @Test func ipv6SpellingsOfOneAddressMatch() throws {
        let inherited = try inherit([.tcp(host: "::1", port: 0)], via: .pagiReuse)
        defer { closeAll(inherited) }
        let port = try #require(inherited[0].address.port)
        let result = ListenerMatcher.match(configured: [.tcp(host: "0:0:0:0:0:0:0:1", port: port)], inherited: inherited)
        #expect(result.assignments.count == 1)
    }

    @Test func hostNamesMatchWhatTheyResolveTo() throws {
        let inherited = try inherit([.tcp(host: "127.0.0.1", port: 0)])
        defer { closeAll(inherited) }
        let port = try #require(inherited[0].address.port)
        let result = ListenerMatcher.match(configured: [.tcp(host: "localhost", port: port)], inherited: inherited)
        #expect(result.assignments.count == 1)
    }

    @Test func kindsMustAgree() throws {
        let inherited = try inherit([.udp(host: "::1", port: 0)])
        defer { closeAll(inherited) }
        let port = try #require(inherited[0].address.port)
        let tcp = ListenerMatcher.match(configured: [.tcp(host: "::1", port: port)], inherited: inherited)
        #expect(tcp.assignments.isEmpty)
        let udp = ListenerMatcher.match(configured: [.udp(host: "::1", port: port)], inherited: inherited)
        #expect(udp.assignments.count == 1)
    }

    @Test func portZeroMatchesNothing() throws {
        let inherited = try inherit([.tcp(host: "127.0.0.1", port: 0)])
        defer { closeAll(inherited) }
        let result = ListenerMatcher.match(configured: [.tcp(host: "127.0.0.1", port: 0)], inherited: inherited)
        #expect(result.assignments.isEmpty)
    }

    @Test func pagiReuseWinsOverServerStarterForTheSameAddress() throws {
        let configuration = ListenerConfiguration(reusePort: true)
        let first = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0), configuration: configuration)
        let port = try #require(first.address.port)
        let second = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: port), configuration: configuration)
        let starterFD = try first.takeDescriptorOwnership()
        let reuseFD = try second.takeDescriptorOwnership()
        let inherited = try InheritedListenerDiscovery.discover(
            environment: ["SERVER_STARTER_PORT": "127.0.0.1:\(port)=\(starterFD)", "PAGI_REUSE": "127.0.0.1:\(port):\(reuseFD)"],
            processID: getpid()
        )
        defer { closeAll(inherited) }
        let result = ListenerMatcher.match(configured: [.tcp(host: "127.0.0.1", port: port)], inherited: inherited)
        #expect(result.assignments.first?.listener.source == .pagiReuse)
        #expect(result.assignments.first?.listener.descriptor == reuseFD)
        #expect(result.unmatchedListeners.map(\.descriptor) == [starterFD])
    }
}

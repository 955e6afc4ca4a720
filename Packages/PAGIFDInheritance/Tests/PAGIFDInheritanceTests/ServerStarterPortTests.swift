import PAGIFDInheritance
import Testing

@Suite struct ServerStarterPortTests {
    @Test func parsesEveryAddressForm() throws {
        let entries = try ServerStarterPort.parse("8080=3;127.0.0.1:80=4;[::1]:81=5;/tmp/app.sock=6;localhost:82=7")
        #expect(
            entries == [
                .init(spec: .tcp(host: nil, port: 8080), descriptor: 3),
                .init(spec: .tcp(host: "127.0.0.1", port: 80), descriptor: 4),
                .init(spec: .tcp(host: "::1", port: 81), descriptor: 5),
                .init(spec: .unix(path: "/tmp/app.sock"), descriptor: 6),
                .init(spec: .tcp(host: "localhost", port: 82), descriptor: 7),
            ]
        )
    }

    @Test func parsesTheOriginalsExample() throws {
        #expect(
            try ServerStarterPort.parse("0.0.0.0:80=3;/tmp/app.sock=4")
                == [.init(spec: .tcp(host: "0.0.0.0", port: 80), descriptor: 3), .init(spec: .unix(path: "/tmp/app.sock"), descriptor: 4)]
        )
    }

    @Test func relativeUnixPathsAndPathsWithEqualsSurvive() throws {
        #expect(try ServerStarterPort.parse("app.sock=3") == [.init(spec: .unix(path: "app.sock"), descriptor: 3)])
        #expect(try ServerStarterPort.parse("/tmp/a=b.sock=9") == [.init(spec: .unix(path: "/tmp/a=b.sock"), descriptor: 9)])
    }

    @Test func emptyValueMeansNoListeners() throws {
        #expect(try ServerStarterPort.parse("").isEmpty)
    }

    @Test func largestDescriptorIsAccepted() throws {
        #expect(try ServerStarterPort.parse("80=2147483647") == [.init(spec: .tcp(host: nil, port: 80), descriptor: Int32.max)])
    }

    @Test(arguments: [
        ("8080", "8080", "no '=FD' part"),
        ("8080=", "8080=", "'' is not a descriptor number"),
        ("8080=x", "8080=x", "'x' is not a descriptor number"),
        ("8080=-1", "8080=-1", "'-1' is not a descriptor number"),
        ("8080=2147483648", "8080=2147483648", "descriptor 2147483648 is out of range"),
        ("8080=3;;80=4", "", "the entry is empty"),
        ("8080=3;", "", "the entry is empty"),
        ("=3", "=3", "it is empty"),
        ("99999=3", "99999=3", "port 99999 is out of range"),
        ("[::1=3", "[::1=3", "not a bracketed IPv6 address"),
    ])
    func rejectsMalformedEntriesNamingThem(value: String, entry: String, reason: String) {
        #expect {
            try ServerStarterPort.parse(value)
        } throws: { error in
            guard let error = error as? FDInheritanceError else { return false }
            return error.code == .malformedEnvironmentEntry && error.description.contains("SERVER_STARTER_PORT entry '\(entry)'")
                && error.description.contains(reason)
        }
    }

    @Test func rendersTheInverseOfParse() throws {
        let entries: [ServerStarterPort.Entry] = [
            .init(spec: .tcp(host: nil, port: 8080), descriptor: 3),
            .init(spec: .tcp(host: "127.0.0.1", port: 80), descriptor: 4),
            .init(spec: .tcp(host: "::1", port: 81), descriptor: 5),
            .init(spec: .unix(path: "/tmp/app.sock"), descriptor: 6),
        ]
        let value = try ServerStarterPort.render(entries)
        #expect(value == "8080=3;127.0.0.1:80=4;[::1]:81=5;/tmp/app.sock=6")
        #expect(try ServerStarterPort.parse(value) == entries)
    }

    @Test func rendersUDPWithoutMarkerAsTheOriginalDoes() throws {
        #expect(try ServerStarterPort.render([.init(spec: .udp(host: "127.0.0.1", port: 53), descriptor: 3)]) == "127.0.0.1:53=3")
    }

    @Test func refusesToRenderAPathContainingTheSeparator() {
        #expect {
            try ServerStarterPort.render([.init(spec: .unix(path: "/tmp/a;b"), descriptor: 3)])
        } throws: { error in
            (error as? FDInheritanceError)?.code == .unrepresentableValue
        }
    }
}

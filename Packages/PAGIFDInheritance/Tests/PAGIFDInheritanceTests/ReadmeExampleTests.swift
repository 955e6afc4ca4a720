import PAGIFDInheritance
// The README's example, verbatim between the markers, so the documented snippet keeps compiling.
// README-BEGIN

/// A server's startup: reuse what the parent handed down, bind the rest.
func openListeners(_ texts: [String]) throws -> [ListeningSocket] {
    let configured = try texts.map { try ListenerSpec(parsing: $0, syntax: .listenOption) }
    let inherited = try InheritedListenerDiscovery.discoverInProcessEnvironment()
    let plan = ListenerMatcher.match(configured: configured, inherited: inherited)
    var sockets = plan.assignments.map(\.listener.socket)
    for spec in plan.unmatchedSpecs {
        sockets.append(try ListeningSocket.bind(spec, configuration: ListenerConfiguration(unixSocketMode: 0o660)))
    }
    for stray in plan.unmatchedListeners {
        print("Inherited fd \(stray.descriptor) (\(stray.entry)) does not match any listener spec — closing")
        try stray.socket.close()
    }
    return sockets
}

/// A supervisor: make the sockets survive exec and describe them for the child.
func childEnvironment(for sockets: [ListeningSocket]) throws -> String {
    for socket in sockets { try socket.setInheritable(true) }
    return try ServerStarterPort.render(sockets.map { socket in
        switch socket.address {
        case .ipv4(let host, let port), .ipv6(let host, let port):
            ServerStarterPort.Entry(spec: .tcp(host: host, port: port), descriptor: socket.descriptor)
        case .unix(let path):
            ServerStarterPort.Entry(spec: .unix(path: path), descriptor: socket.descriptor)
        }
    })
}
// README-END

import Glibc
import Testing

@Suite struct ReadmeExampleTests {
    @Test func snippetBindsAndRendersForAChild() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/readme.sock"
        let sockets = try openListeners(["127.0.0.1:0", path])
        defer { for socket in sockets { try? socket.close() } }
        #expect(sockets.count == 2)
        let value = try childEnvironment(for: sockets)
        let port = try #require(sockets[0].address.port)
        #expect(value == "127.0.0.1:\(port)=\(sockets[0].descriptor);\(path)=\(sockets[1].descriptor)")
        #expect(try sockets.allSatisfy { try $0.isInheritable() })
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660)
    }

    @Test func snippetMatchesTheReadme() throws {
        let testFile = #filePath
        let packageRoot = testFile.split(separator: "/").dropLast(3).joined(separator: "/")
        let readme = try readTextFile("/" + packageRoot + "/README.md")
        let thisFile = try readTextFile(testFile)
        guard let begin = thisFile.firstRange(of: "// README-BEGIN\n"), let end = thisFile.firstRange(of: "// README-END") else {
            throw TestFailure("markers missing in \(testFile)")
        }
        let snippet = thisFile[begin.upperBound..<end.lowerBound]
        #expect(readme.contains("```swift\nimport PAGIFDInheritance\n" + snippet + "```"))
    }
}

/// The whole content of a text file.
private func readTextFile(_ path: String) throws -> String {
    guard let file = fopen(path, "r") else { throw TestFailure("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count == 0 { break }
        bytes += buffer[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

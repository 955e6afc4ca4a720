// Helpers for the pagi-server HTTPS black-box tests: throwaway certificates made with the openssl
// CLI at test time (nothing secret is committed), and the tools' paths.

import Foundation
import Testing

let opensslPath = "/usr/bin/openssl"
let curlPath = "/usr/bin/curl"

/// Whether the HTTPS tests can run: they need the openssl and curl command-line tools.
let tlsToolsInstalled = FileManager.default.isExecutableFile(atPath: opensslPath) && FileManager.default.isExecutableFile(atPath: curlPath)

/// A fresh directory of certificates, one per test (tests run in parallel and some rewrite files).
///
/// - `ca.pem` signs `server.pem` (`localhost`, IP 127.0.0.1) and the client certificate `alice.pem`.
/// - `rogue-ca.pem` signs `mallory.pem`, a client certificate the server must refuse.
/// - `ca2.pem` signs `server2.pem`, the "renewed" certificate of the reload test.
/// - `other.key` belongs to no certificate (the mismatch test).
struct TLSTestCertificates: Sendable {
    let directory: String

    func path(_ name: String) -> String { self.directory + "/" + name }
    var ca: String { self.path("ca.pem") }
    var serverCertificate: String { self.path("server.pem") }
    var serverKey: String { self.path("server.key") }
    var clientCertificate: String { self.path("alice.pem") }
    var clientKey: String { self.path("alice.key") }
    var rogueClientCertificate: String { self.path("mallory.pem") }
    var rogueClientKey: String { self.path("mallory.key") }
    var renewedCA: String { self.path("ca2.pem") }
    var renewedCertificate: String { self.path("server2.pem") }
    var renewedKey: String { self.path("server2.key") }
    var otherKey: String { self.path("other.key") }

    /// The server flags for this directory's certificate.
    var serverFlags: [String] { ["--ssl-cert", self.serverCertificate, "--ssl-key", self.serverKey] }

    /// Generates everything into a new temporary directory; call ``remove()`` in a `defer`.
    static func generate() async throws -> TLSTestCertificates {
        let directory = NSTemporaryDirectory() + "pagi-tls-bb-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificates = TLSTestCertificates(directory: directory)
        do {
            try await certificates.makeCA("ca", subject: "/CN=PAGI Test CA")
            try await certificates.makeCA("rogue-ca", subject: "/CN=Rogue CA")
            try await certificates.makeCA("ca2", subject: "/CN=PAGI Renewed CA")
            let serverExtensions = "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
            let clientExtensions = "extendedKeyUsage=clientAuth\n"
            try await certificates.makeLeaf("server", subject: "/CN=localhost", ca: "ca", extensions: serverExtensions)
            try await certificates.makeLeaf("server2", subject: "/CN=localhost", ca: "ca2", extensions: serverExtensions)
            try await certificates.makeLeaf("alice", subject: "/C=GB/O=PAGI Tests/CN=alice", ca: "ca", extensions: clientExtensions)
            try await certificates.makeLeaf("mallory", subject: "/CN=mallory", ca: "rogue-ca", extensions: clientExtensions)
            try await certificates.makeKey("other")
        } catch {
            certificates.remove()
            throw error
        }
        return certificates
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.directory)
    }

    private func makeKey(_ name: String) async throws {
        try await Self.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", self.path(name + ".key")])
    }

    private func makeCA(_ name: String, subject: String) async throws {
        try await self.makeKey(name)
        try await Self.openssl([
            "req", "-x509", "-new", "-key", self.path(name + ".key"), "-subj", subject, "-days", "2",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-out", self.path(name + ".pem"),
        ])
    }

    private func makeLeaf(_ name: String, subject: String, ca: String, extensions: String) async throws {
        try await self.makeKey(name)
        try await Self.openssl(["req", "-new", "-key", self.path(name + ".key"), "-subj", subject, "-out", self.path(name + ".csr")])
        try extensions.write(toFile: self.path(name + ".ext"), atomically: true, encoding: .utf8)
        try await Self.openssl([
            "x509", "-req", "-in", self.path(name + ".csr"), "-CA", self.path(ca + ".pem"), "-CAkey", self.path(ca + ".key"),
            "-set_serial", String(UInt32.random(in: 1...UInt32.max)), "-days", "2", "-extfile", self.path(name + ".ext"),
            "-out", self.path(name + ".pem"),
        ])
    }

    private static func openssl(_ arguments: [String]) async throws {
        let result = try await runCommand(opensslPath, arguments, timeout: .seconds(30))
        guard result.status == 0 else {
            throw TLSTestError("openssl \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
    }
}

struct TLSTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs curl against a TLS server with a 15 s deadline; `-s` unless `verbose`.
func curlTLS(_ arguments: [String], verbose: Bool = false) async throws -> CommandResult {
    try await runCommand(curlPath, [verbose ? "-sv" : "-s", "--max-time", "10"] + arguments, timeout: .seconds(15))
}

import ArgumentParser
import PAGIServer
import Testing

@testable import PAGIServerCLI

@Suite("PAGIServerOptions")
struct PAGIServerOptionsTests {
    @Test("defaults match the reference server")
    func defaults() throws {
        let configuration = try PAGIServerOptions.parse([]).makeConfiguration()
        #expect(configuration.listeners == [.tcp(host: "127.0.0.1", port: 5000)])
        #expect(configuration.accessLog == .stderr)
        #expect(configuration.accessLogFormat == "clf")
        #expect(configuration.timeouts.idle == .seconds(60))
        #expect(configuration.timeouts.requestStall == nil)
        #expect(configuration.timeouts.shutdown == .seconds(30))
        #expect(configuration.limits.maxBodySize == 10_000_000)
        #expect(configuration.limits.maxConnections == 1000)
        #expect(configuration.watermarks == PAGIWriteWatermarks(high: 65536, low: 16384))
    }

    @Test("WebSocket and SSE flags: defaults, mappings, and refused values")
    func webSocketAndSSE() throws {
        let defaults = try PAGIServerOptions.parse([]).makeConfiguration()
        #expect(defaults.limits.maxWebSocketFrameSize == 65536)
        #expect(defaults.limits.maxReceiveQueue == 1000)
        #expect(defaults.timeouts.webSocketIdle == nil)
        #expect(defaults.timeouts.sseIdle == nil)
        #expect(defaults.webSocketCompression)
        let configured = try PAGIServerOptions.parse([
            "--max-ws-frame-size", "1024", "--max-receive-queue", "2", "--ws-idle-timeout", "7", "--sse-idle-timeout", "9", "--no-ws-compression",
        ]).makeConfiguration()
        #expect(configured.limits.maxWebSocketFrameSize == 1024)
        #expect(configured.limits.maxReceiveQueue == 2)
        #expect(configured.timeouts.webSocketIdle == .seconds(7))
        #expect(configured.timeouts.sseIdle == .seconds(9))
        #expect(!configured.webSocketCompression)
        #expect(throws: (any Error).self) { try PAGIServerOptions.parse(["--max-receive-queue", "0"]) }
        #expect(throws: (any Error).self) { try PAGIServerOptions.parse(["--max-ws-frame-size", "0"]) }
        #expect(throws: (any Error).self) { try PAGIServerOptions.parse(["--ws-idle-timeout", "-1"]) }
    }

    @Test("repeatable --listen with --socket-mode gives several listeners")
    func listen() throws {
        let options = try PAGIServerOptions.parse(["--listen", "127.0.0.1:0", "--listen", "/tmp/x.sock", "--socket-mode", "0660"])
        #expect(try options.makeConfiguration().listeners == [.tcp(host: "127.0.0.1", port: 0), .unix(path: "/tmp/x.sock", mode: 0o660)])
    }

    @Test("access log destinations and zero meaning off")
    func mappings() throws {
        let configuration = try PAGIServerOptions.parse([
            "--access-log", "off", "--timeout", "0", "--max-body-size", "0", "--request-timeout", "5",
        ]).makeConfiguration()
        #expect(configuration.accessLog == .off)
        #expect(configuration.timeouts.idle == nil)
        #expect(configuration.limits.maxBodySize == nil)
        #expect(configuration.timeouts.requestStall == .seconds(5))
        #expect(try PAGIServerOptions.parse(["--access-log", "/tmp/a.log"]).makeConfiguration().accessLog == .file("/tmp/a.log"))
    }

    @Test(
        "conflicting or bad values fail validation before anything runs",
        arguments: [
            ["--listen", "127.0.0.1:1", "--host", "0.0.0.0"],
            ["--listen", "127.0.0.1:1", "--port", "80"],
            ["--listen", "127.0.0.1:1", "--socket", "/tmp/s"],
            ["--socket", "/tmp/s", "--port", "80"],
            ["--socket-mode", "660"],
            ["--socket-mode", "0999"],
            ["--port", "70000"],
            ["--max-connections", "0"],
            ["--timeout", "-1"],
            ["--write-high-watermark", "100", "--write-low-watermark", "100"],
            ["--listen", "127.0.0.1:99999"],
        ]
    )
    func rejects(arguments: [String]) {
        #expect(throws: (any Error).self) { try PAGIServerOptions.parse(arguments) }
    }
}

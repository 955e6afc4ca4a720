// The welcome page in a real browser: headless Chromium loads it from pagi-server, the test reads
// the DOM through the DevTools protocol (over our own WebSocket test client) until the WebSocket
// box echoed and the SSE clock ticked twice, then saves a screenshot (Docs/welcome-page.png when
// missing or with PAGI_UPDATE_SCREENSHOT=1).
// Skipped when Chromium is not installed (`apt-get install chromium`; `make deps` installs it).

import Foundation
import PAGIWebSocket
import Testing

private let chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite("welcome page in headless Chromium", .serialized)
struct WelcomePageBrowserTests {
    @Test(
        "the page's WebSocket echo answers and its SSE clock ticks twice; screenshot saved under Docs/",
        .enabled(if: chromiumPath != nil, "Chromium is not installed (apt-get install chromium): browser test skipped")
    )
    func welcomeInChromium() async throws {
        let chromium = try #require(chromiumPath)
        let server = try await ServerUnderTest.start(["--access-log", "off"])
        defer { server.process.stop() }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("pagi-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let browser = try RunningProcess(chromium, [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--user-data-dir=\(profile.path)", "--remote-debugging-port=0", "--window-size=1100,1200", "\(server.url)/",
        ])
        // SIGKILL of the browser process; its renderer and GPU children exit when their pipes close.
        defer { browser.stop() }
        let banner = try await browser.waitForLine(timeout: .seconds(20), "DevTools listening") { $0.contains("DevTools listening on ws://") }
        let portText = try #require(banner.range(of: #"127\.0\.0\.1:(\d+)/"#, options: .regularExpression).map { banner[$0].dropFirst(10).dropLast() })
        let devtoolsPort = try #require(Int(portText))

        // The page target's DevTools socket.
        var pagePath: String?
        let deadline = ContinuousClock.now + .seconds(15)
        while pagePath == nil, ContinuousClock.now < deadline {
            let list = try await runCommand("/usr/bin/curl", ["-s", "http://127.0.0.1:\(devtoolsPort)/json/list"], timeout: .seconds(5))
            if let targets = try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]],
                let page = targets.first(where: { ($0["type"] as? String) == "page" && (($0["url"] as? String) ?? "").contains(":\(server.port)") }),
                let url = page["webSocketDebuggerUrl"] as? String, let range = url.range(of: "/devtools/")
            {
                pagePath = String(url[range.lowerBound...])
            } else {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        let devtools = try WebSocketTestClient(port: devtoolsPort, path: try #require(pagePath, "no page target in DevTools"))
        var nextID = 0
        func call(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
            nextID += 1
            let id = nextID
            let request = try JSONSerialization.data(withJSONObject: ["id": id, "method": method, "params": params])
            devtools.sendFrame(.text, Array(request))
            while let event = devtools.next() {
                guard case .message(.text(let text)) = event,
                    let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                    object["id"] as? Int == id
                else { continue }
                return object["result"] as? [String: Any] ?? [:]
            }
            throw BlackBoxError.timedOut("DevTools answer to \(method)")
        }

        var state: [String: Any] = [:]
        while ContinuousClock.now < deadline {
            let result = try call(
                "Runtime.evaluate",
                [
                    "expression": "JSON.stringify({ws: document.getElementById('ws-status').textContent, log: document.getElementById('ws-log').textContent, sse: document.getElementById('sse-status').textContent, ticks: Number(document.getElementById('sse-ticks').textContent), id: document.getElementById('sse-id').textContent, pid: document.getElementById('server-pid').textContent})",
                    "returnByValue": true,
                ]
            )
            if let value = (result["result"] as? [String: Any])?["value"] as? String,
                let parsed = try JSONSerialization.jsonObject(with: Data(value.utf8)) as? [String: Any]
            {
                state = parsed
                if (parsed["ticks"] as? Int ?? 0) >= 2, (parsed["log"] as? String ?? "").contains("echo: hello from the welcome page") { break }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(state["ws"] as? String == "open")
        #expect((state["log"] as? String ?? "").contains("echo: hello from the welcome page"))
        #expect(state["sse"] as? String == "streaming")
        #expect((state["ticks"] as? Int ?? 0) >= 2, "SSE clock state: \(state)")
        #expect(state["pid"] as? String == String(server.process.pid))

        let shot = try call("Page.captureScreenshot", ["format": "png"])
        let png = try #require((shot["data"] as? String).flatMap { Data(base64Encoded: $0) })
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // Docs/welcome-page.png (shown by the README) is written when missing or when
        // PAGI_UPDATE_SCREENSHOT=1, so an ordinary test run leaves the working tree clean; the
        // latest capture always goes to the temporary directory.
        try png.write(to: FileManager.default.temporaryDirectory.appendingPathComponent("pagi-welcome-page.png"))
        let docsShot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Docs/welcome-page.png")
        if ProcessInfo.processInfo.environment["PAGI_UPDATE_SCREENSHOT"] == "1" || !FileManager.default.fileExists(atPath: docsShot.path) {
            try png.write(to: docsShot)
        }
    }
}

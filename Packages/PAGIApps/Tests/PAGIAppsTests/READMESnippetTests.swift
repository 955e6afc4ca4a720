import PAGI
import PAGIApps
import Testing

// The README's snippet, verbatim, so an API change that breaks it fails the build.

/// What `pagi-server --app NAME [--root DIR]` does with its flags.
private func builtinApp(named name: String, root: String?) throws -> PAGIApp? {
    guard let builtin = PAGIBuiltinApp(rawValue: name) else { return nil }  // list PAGIBuiltinApp.allCases
    return try builtin.makeApp(root: root)
}

private func siteApp() throws -> PAGIApp {
    try PAGIApps.staticFiles(PAGIStaticFilesConfiguration(root: "/srv/www"))
}

/// The demo page with the server's own version and a faster clock.
private let demo: PAGIApp = PAGIApps.welcome(PAGIWelcomeConfiguration(serverVersion: "pagi-server 0.1.0", tickInterval: .milliseconds(500)))

@Suite("README snippet")
struct READMESnippetTests {
    @Test("the snippet's lookup finds every CLI name and only those")
    func lookup() throws {
        for name in ["hello", "echo", "ws-echo", "sse-ticker", "welcome"] {
            #expect(try builtinApp(named: name, root: nil) != nil)
        }
        #expect(try builtinApp(named: "wsecho", root: nil) == nil)
    }

    @Test("the demo app serves the page")
    func demoPage() async throws {
        #expect(try await respond(demo, makeScope()).text.contains(">pagi-server 0.1.0<"))
    }
}

import PAGI
import Testing

@testable import PAGIApps

@Suite struct PAGIBuiltinAppTests {
    @Test func namesAreTheCommandLineNames() {
        #expect(PAGIBuiltinApp.allCases.map(\.rawValue) == ["hello", "echo", "static", "ws-echo", "sse-ticker", "welcome"])
        #expect(PAGIBuiltinApp.allCases.filter(\.needsRoot) == [.static])
    }

    @Test func staticWithoutRootIsRefusedWithAHint() {
        #expect(throws: PAGIStaticFilesError.missingRoot) {
            _ = try PAGIBuiltinApp.static.makeApp(root: nil)
        }
        #expect(String(describing: PAGIStaticFilesError.missingRoot) == "the static app needs a directory to serve: pass --root DIR")
    }

    @Test func builtAppsAnswer() async throws {
        let hello = try PAGIBuiltinApp.hello.makeApp(root: nil)
        #expect(try await respond(hello, makeScope()).text == "Hello, World!")
        let echo = try PAGIBuiltinApp.echo.makeApp(root: "/ignored")
        #expect(try await respond(echo, makeScope()).header("content-type") == "application/json")
        let tree = try TemporaryTree()
        try tree.write("a.txt", "a")
        let files = try PAGIBuiltinApp.static.makeApp(root: tree.path)
        #expect(try await respond(files, makeScope(rawPath: "/a.txt")).status == 200)
        #expect(try await respond(PAGIBuiltinApp.wsEcho.makeApp(root: nil), makeScope()).status == 426)
        #expect(try await respond(PAGIBuiltinApp.sseTicker.makeApp(root: nil), makeScope()).status == 406)
        let welcome = try PAGIBuiltinApp.welcome.makeApp(root: nil, welcome: PAGIWelcomeConfiguration(serverVersion: "given"))
        #expect(try await respond(welcome, makeScope()).text.contains(">given<"))
    }
}

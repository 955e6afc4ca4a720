import Testing

@testable import PAGIApps

@Suite struct MediaTypesTests {
    @Test(arguments: [
        ("index.html", "text/html; charset=utf-8"), ("APP.JS", "text/javascript; charset=utf-8"), ("a.b.css", "text/css; charset=utf-8"),
        ("photo.jpeg", "image/jpeg"), ("data.json", "application/json"), ("font.woff2", "font/woff2"),
        ("README", "application/octet-stream"), (".hidden", "application/octet-stream"), ("archive.unknown", "application/octet-stream"),
    ])
    func builtInTable(_ name: String, _ expected: String) {
        #expect(MediaTypes.contentType(forFileName: Substring(name), overrides: [:], fallback: "application/octet-stream") == expected)
    }

    @Test func overridesAndFallbackWin() {
        #expect(MediaTypes.contentType(forFileName: "a.md", overrides: ["md": "text/x-md"], fallback: "x/y") == "text/x-md")
        #expect(MediaTypes.contentType(forFileName: "a.zzz", overrides: [:], fallback: "x/y") == "x/y")
    }
}

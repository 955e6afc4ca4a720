#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PAGI
import Testing

@testable import PAGIApps

@Suite struct StaticFilesAppTests {
    /// 2021-01-01 00:00:00 UTC.
    static let modified = 1_609_459_200
    static let lastModified = "Fri, 01 Jan 2021 00:00:00 GMT"
    static let content = Array("0123456789abcdefghij".utf8)

    let tree: TemporaryTree
    let app: PAGIApp

    init() throws {
        let tree = try TemporaryTree()
        try tree.makeDirectory("site")
        try tree.write("site/file.txt", Self.content, modified: Self.modified)
        try tree.write("site/empty.bin", [], modified: Self.modified)
        try tree.makeDirectory("site/docs")
        try tree.write("site/docs/index.html", "<h1>docs</h1>")
        try tree.makeDirectory("site/bare")
        try tree.write("secret.txt", "outside")
        try tree.symlink("site/inside-link.txt", to: "file.txt")
        try tree.symlink("site/outside-link.txt", to: "../secret.txt")
        try tree.symlink("site/outside-dir", to: "..")
        try tree.makeFIFO("site/pipe")
        self.tree = tree
        self.app = try PAGIApps.staticFiles(PAGIStaticFilesConfiguration(root: tree.path + "/site"))
    }

    private func get(
        _ rawPath: String,
        method: String = "GET",
        query: String = "",
        headers: [(String, String)] = []
    ) async throws -> RecordedResponse {
        try await respond(self.app, makeScope(method: method, rawPath: rawPath, query: query, headers: headers))
    }

    private func fileTag() async throws -> String {
        let response = try await self.get("/file.txt")
        return try #require(response.header("etag"))
    }

    // MARK: 200, HEAD, index, redirect

    @Test func servesAFileAsAStreamedFileBody() async throws {
        let response = try await self.get("/file.txt")
        #expect(response.status == 200)
        #expect(response.header("content-type") == "text/plain; charset=utf-8")
        #expect(response.header("content-length") == "20")
        #expect(response.header("last-modified") == Self.lastModified)
        #expect(response.header("accept-ranges") == "bytes")
        let tag = try #require(response.header("etag"))
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("-14\""))
        #expect(response.file == .file(path: self.tree.real("site/file.txt"), offset: 0, length: 20))
        #expect(response.body.isEmpty)
    }

    @Test func headSendsTheHeadersWithoutTheFile() async throws {
        let response = try await self.get("/file.txt", method: "HEAD")
        #expect(response.status == 200)
        #expect(response.header("content-length") == "20")
        #expect(response.header("etag") != nil)
        #expect(response.file == nil)
        #expect(response.body.isEmpty)
    }

    @Test func emptyFileHasAnEmptyInlineBody() async throws {
        let response = try await self.get("/empty.bin")
        #expect(response.status == 200)
        #expect(response.header("content-length") == "0")
        #expect(response.header("content-type") == "application/octet-stream")
        #expect(response.file == nil)
    }

    @Test func directoryWithSlashServesItsIndex() async throws {
        let response = try await self.get("/docs/")
        #expect(response.status == 200)
        #expect(response.header("content-type") == "text/html; charset=utf-8")
        #expect(response.file == .file(path: self.tree.real("site/docs/index.html"), offset: 0, length: 13))
    }

    @Test func rootServesNothingWithoutAnIndex() async throws {
        #expect(try await self.get("/").status == 404)
        #expect(try await self.get("/bare/").status == 404)
    }

    @Test func directoryWithoutSlashRedirectsKeepingTheQuery() async throws {
        let response = try await self.get("/docs", query: "a=1")
        #expect(response.status == 301)
        #expect(response.header("location") == "/docs/?a=1")
        let plain = try await self.get("/d%6Fcs")
        #expect(plain.header("location") == "/d%6Fcs/")
    }

    @Test(arguments: ["//docs", "///docs", "/\\docs"])
    func redirectNeverPointsAtAnotherHost(_ rawPath: String) async throws {
        if rawPath.contains("\\") {
            try self.tree.makeDirectory("site/\\docs")
        }
        let response = try await self.get(rawPath)
        #expect(response.status == 301)
        let location = try #require(response.header("location"))
        #expect(location.hasPrefix("/") && !location.hasPrefix("//") && !location.hasPrefix("/\\"))
        #expect(location.hasSuffix("docs/"))
    }

    @Test func customIndexFileName() async throws {
        try self.tree.write("site/bare/home.htm", "home")
        let app = try PAGIApps.staticFiles(PAGIStaticFilesConfiguration(root: self.tree.path + "/site", indexFile: "home.htm"))
        let response = try await respond(app, makeScope(rawPath: "/bare/"))
        #expect(response.status == 200)
        #expect(response.file == .file(path: self.tree.real("site/bare/home.htm"), offset: 0, length: 4))
    }

    @Test func symlinkInsideTheRootIsFollowed() async throws {
        let response = try await self.get("/inside-link.txt")
        #expect(response.status == 200)
        #expect(response.file == .file(path: self.tree.real("site/file.txt"), offset: 0, length: 20))
    }

    // MARK: refusals

    @Test(arguments: [
        "/../secret.txt", "/docs/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt",
        "/docs/%2e%2e%2f%2e%2e%2fsecret.txt", "/..", "/docs/..",
    ])
    func traversalIsForbidden(_ rawPath: String) async throws {
        let response = try await self.get(rawPath)
        #expect(response.status == 403)
        #expect(response.file == nil)
        #expect(response.text == "Forbidden\n")
    }

    @Test(arguments: ["/outside-link.txt", "/outside-dir/secret.txt", "/outside-dir/", "/outside-dir"])
    func symlinksOutOfTheRootAreForbidden(_ rawPath: String) async throws {
        #expect(try await self.get(rawPath).status == 403)
    }

    /// Containment is judged on the resolved path: a detour through a symlink that lands back
    /// inside the root is harmless.
    @Test func symlinkDetourBackIntoTheRootIsServed() async throws {
        let response = try await self.get("/outside-dir/site/file.txt")
        #expect(response.status == 200)
        #expect(response.file == .file(path: self.tree.real("site/file.txt"), offset: 0, length: 20))
    }

    @Test(arguments: ["/file.txt%00", "/file.txt%00.html", "/%00"])
    func nulIsABadRequest(_ rawPath: String) async throws {
        let response = try await self.get(rawPath)
        #expect(response.status == 400)
        #expect(response.header("content-type") == "text/plain; charset=utf-8")
        #expect(response.header("content-length") == "12")
        #expect(response.text == "Bad Request\n")
    }

    @Test func pathWithoutLeadingSlashIsABadRequest() async throws {
        #expect(try await respond(self.app, makeScope(rawPath: "*")).status == 400)
    }

    @Test(arguments: ["/missing.txt", "/file.txt/", "/file.txt/more", "/pipe", "/%252e%252e/secret.txt"])
    func missingOrSpecialIsNotFound(_ rawPath: String) async throws {
        let response = try await self.get(rawPath)
        #expect(response.status == 404)
        #expect(response.text == "Not Found\n")
    }

    @Test func fileNamesThatAreNotUTF8AreNotServed() async throws {
        try self.tree.writeRawName([0x73, 0x69, 0x74, 0x65, 0x2F, 0x66, 0xFF])  // "site/f\xFF"
        #expect(try await self.get("/f%FF").status == 404)
    }

    @Test(.enabled(if: getuid() != 0, "root reads any file, so permissions cannot be denied"))
    func unreadableFileIsForbidden() async throws {
        try self.tree.write("site/locked.txt", "x")
        try self.tree.chmod("site/locked.txt", 0)
        #expect(try await self.get("/locked.txt").status == 403)
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "OPTIONS", "get"])
    func otherMethodsAreNotAllowed(_ method: String) async throws {
        let response = try await self.get("/file.txt", method: method)
        #expect(response.status == 405)
        #expect(response.header("allow") == "GET, HEAD")
    }

    // MARK: conditional requests

    @Test func ifNoneMatchWithTheCurrentTagIsNotModified() async throws {
        let tag = try await self.fileTag()
        for value in [tag, "W/" + tag, "*", "\"nope\", " + tag] {
            let response = try await self.get("/file.txt", headers: [("if-none-match", value)])
            #expect(response.status == 304, "If-None-Match: \(value)")
            #expect(response.header("etag") == tag)
            #expect(response.header("last-modified") == Self.lastModified)
            #expect(response.header("content-length") == nil)
            #expect(response.file == nil && response.body.isEmpty)
        }
        let head = try await self.get("/file.txt", method: "HEAD", headers: [("if-none-match", tag)])
        #expect(head.status == 304)
    }

    @Test func ifNoneMatchAcrossSeveralFieldLines() async throws {
        let tag = try await self.fileTag()
        let response = try await self.get("/file.txt", headers: [("if-none-match", "\"nope\""), ("if-none-match", tag)])
        #expect(response.status == 304)
    }

    @Test func ifNoneMatchWithAnotherTagIsServedAndOverridesIfModifiedSince() async throws {
        let response = try await self.get(
            "/file.txt",
            headers: [("if-none-match", "\"other\""), ("if-modified-since", Self.lastModified)]
        )
        #expect(response.status == 200)
    }

    @Test(arguments: [
        ("Fri, 01 Jan 2021 00:00:00 GMT", 304), ("Fri, 01 Jan 2021 00:00:01 GMT", 304), ("Sat, 02 Jan 2021 00:00:00 GMT", 304),
        ("Thu, 31 Dec 2020 23:59:59 GMT", 200), ("Friday, 01-Jan-21 00:00:00 GMT", 304), ("Fri Jan  1 00:00:00 2021", 304),
        ("not a date", 200),
    ])
    func ifModifiedSince(_ date: String, _ status: Int) async throws {
        #expect(try await self.get("/file.txt", headers: [("if-modified-since", date)]).status == status)
    }

    // MARK: ranges

    @Test(arguments: [
        ("bytes=0-4", 0, 5), ("bytes=5-", 5, 15), ("bytes=-3", 17, 3), ("bytes=15-100", 15, 5), ("bytes=19-19", 19, 1),
    ] as [(String, Int64, Int64)])
    func singleRangeIsPartialContent(_ range: String, _ offset: Int64, _ length: Int64) async throws {
        let response = try await self.get("/file.txt", headers: [("range", range)])
        #expect(response.status == 206)
        #expect(response.header("content-range") == "bytes \(offset)-\(offset + length - 1)/20")
        #expect(response.header("content-length") == String(length))
        #expect(response.file == .file(path: self.tree.real("site/file.txt"), offset: offset, length: length))
    }

    @Test(arguments: ["bytes=20-", "bytes=25-30", "bytes=-0"])
    func unsatisfiableRangeIs416(_ range: String) async throws {
        let response = try await self.get("/file.txt", headers: [("range", range)])
        #expect(response.status == 416)
        #expect(response.header("content-range") == "bytes */20")
        #expect(response.file == nil)
    }

    @Test func anyRangeOfAnEmptyFileIs416() async throws {
        let response = try await self.get("/empty.bin", headers: [("range", "bytes=0-")])
        #expect(response.status == 416)
        #expect(response.header("content-range") == "bytes */0")
    }

    @Test(arguments: ["bytes=0-1,4-5", "bytes=5-2", "lines=1-2", "bytes=x"])
    func ignoredRangeServesEverything(_ range: String) async throws {
        let response = try await self.get("/file.txt", headers: [("range", range)])
        #expect(response.status == 200)
        #expect(response.file == .file(path: self.tree.real("site/file.txt"), offset: 0, length: 20))
    }

    @Test func headIgnoresRange() async throws {
        let response = try await self.get("/file.txt", method: "HEAD", headers: [("range", "bytes=0-4")])
        #expect(response.status == 200)
        #expect(response.header("content-length") == "20")
    }

    @Test func ifRangeMatchingKeepsTheRange() async throws {
        let tag = try await self.fileTag()
        for value in [tag, Self.lastModified] {
            let response = try await self.get("/file.txt", headers: [("range", "bytes=0-4"), ("if-range", value)])
            #expect(response.status == 206, "If-Range: \(value)")
        }
    }

    @Test(arguments: ["\"stale\"", "W/\"weak\"", "Thu, 31 Dec 2020 23:59:59 GMT", "garbage"])
    func ifRangeNotMatchingServesEverything(_ value: String) async throws {
        let response = try await self.get("/file.txt", headers: [("range", "bytes=0-4"), ("if-range", value)])
        #expect(response.status == 200)
        #expect(response.header("content-length") == "20")
    }

    @Test func weakTagInIfRangeNeverMatches() async throws {
        let tag = try await self.fileTag()
        let response = try await self.get("/file.txt", headers: [("range", "bytes=0-4"), ("if-range", "W/" + tag)])
        #expect(response.status == 200)
    }

    // MARK: scopes and construction

    @Test func declinesOtherScopes() async throws {
        let connection = FakeConnection()
        await #expect(throws: PAGIUnsupportedScopeError.self) {
            try await self.app(.lifespan(LifespanScope()), connection.receive, connection.send)
        }
    }

    @Test func rootMustBeAnExistingDirectory() throws {
        #expect(throws: PAGIStaticFilesError.rootNotDirectory(path: self.tree.path + "/secret.txt")) {
            _ = try PAGIApps.staticFiles(PAGIStaticFilesConfiguration(root: self.tree.path + "/secret.txt"))
        }
        let missing = self.tree.path + "/nope"
        #expect(throws: PAGIStaticFilesError.rootUnavailable(path: missing, reason: "No such file or directory")) {
            _ = try PAGIApps.staticFiles(PAGIStaticFilesConfiguration(root: missing))
        }
        #expect(
            String(describing: PAGIStaticFilesError.rootUnavailable(path: missing, reason: "No such file or directory"))
                == "cannot serve '\(missing)': No such file or directory; pass an existing, readable directory"
        )
    }

    @Test(arguments: ["", "a/b", ".", "..", "a\u{0}b"])
    func indexFileMustBeAPlainName(_ name: String) throws {
        #expect(throws: PAGIStaticFilesError.invalidIndexFile(name)) {
            _ = try PAGIApps.staticFiles(PAGIStaticFilesConfiguration(root: self.tree.path, indexFile: name))
        }
    }

    @Test func rootMayBeASymlinkToADirectory() async throws {
        try self.tree.symlink("site-link", to: "site")
        let app = try PAGIApps.staticFiles(PAGIStaticFilesConfiguration(root: self.tree.path + "/site-link"))
        let response = try await respond(app, makeScope(rawPath: "/file.txt"))
        #expect(response.status == 200)
        #expect(try await respond(app, makeScope(rawPath: "/outside-link.txt")).status == 403)
    }
}

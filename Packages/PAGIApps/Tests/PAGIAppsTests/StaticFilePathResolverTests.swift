import Testing

@testable import PAGIApps

@Suite struct StaticFilePathResolverTests {
    let tree: TemporaryTree
    let resolver: StaticFilePathResolver

    init() throws {
        let tree = try TemporaryTree()
        try tree.makeDirectory("root")
        try tree.makeDirectory("root/dir")
        try tree.write("root/dir/index.html", "i")
        try tree.write("root/a.txt", "a")
        try tree.makeDirectory("root/noindex")
        try tree.makeDirectory("root/dirindex")
        try tree.makeDirectory("root/dirindex/index.html")
        try tree.write("outside.txt", "o")
        try tree.symlink("root/noindex/index.html", to: "../../outside.txt")
        self.tree = tree
        self.resolver = try StaticFilePathResolver(root: tree.path + "/root", indexFile: "index.html")
    }

    private func resolve(_ path: String) -> StaticFilePathResolver.Resolution {
        self.resolver.resolve(Array(path.utf8))
    }

    @Test func rootIsStoredResolved() {
        #expect(String(decoding: self.resolver.root, as: UTF8.self) == self.tree.real("root"))
    }

    @Test(arguments: ["/a.txt", "//a.txt", "/./a.txt", "/.//./a.txt"])
    func dotSegmentsAndEmptySegmentsAreSkipped(_ path: String) {
        guard case .file(let resolved, _) = self.resolve(path) else {
            Issue.record("unexpected resolution of \(path): \(self.resolve(path))")
            return
        }
        #expect(resolved == self.tree.real("root/a.txt"))
    }

    @Test func indexIsResolvedLikeAnyOtherFile() {
        guard case .file(let path, let status) = self.resolve("/dir/") else {
            Issue.record("no index for /dir/")
            return
        }
        #expect(path == self.tree.real("root/dir/index.html"))
        #expect(status.kind == .regular && status.size == 1)
    }

    @Test func indexSymlinkOutOfTheRootIsRefused() {
        #expect(self.resolve("/noindex/") == .rejected(.outsideRoot))
    }

    @Test func indexThatIsADirectoryIsNotFound() {
        #expect(self.resolve("/dirindex/") == .rejected(.notFound))
    }

    @Test func directoryWithoutSlash() {
        #expect(self.resolve("/dir") == .directoryWithoutSlash)
    }

    @Test func rejections() {
        #expect(self.resolve("a.txt") == .rejected(.malformedPath))
        #expect(self.resolve("") == .rejected(.malformedPath))
        #expect(self.resolver.resolve([UInt8(ascii: "/"), 0]) == .rejected(.malformedPath))
        #expect(self.resolve("/..") == .rejected(.traversal))
        #expect(self.resolve("/dir/../../outside.txt") == .rejected(.traversal))
        #expect(self.resolve("/missing") == .rejected(.notFound))
    }

    /// A root of `/` contains every absolute path; the `..` rule still applies lexically.
    @Test func filesystemRootContainsEverything() throws {
        let resolver = try StaticFilePathResolver(root: "/", indexFile: "index.html")
        guard case .file(let path, _) = resolver.resolve(Array((self.tree.real("root/a.txt")).utf8)) else {
            Issue.record("a file under / was not served from root /")
            return
        }
        #expect(path == self.tree.real("root/a.txt"))
        #expect(resolver.resolve(Array("/../etc".utf8)) == .rejected(.traversal))
    }

    /// A sibling sharing the root's name as a prefix (`root` vs `root-other`) is outside it.
    @Test func prefixSiblingIsOutside() throws {
        try self.tree.makeDirectory("root-other")
        try self.tree.write("root-other/x.txt", "x")
        try self.tree.symlink("root/sibling", to: "../root-other/x.txt")
        #expect(self.resolve("/sibling") == .rejected(.outsideRoot))
    }
}

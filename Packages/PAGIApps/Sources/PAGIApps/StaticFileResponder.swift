import PAGI

/// The response the static-files app decided on, before any event is sent.
struct StaticFileResponse: Sendable, Hashable {
    enum Body: Sendable, Hashable {
        case empty
        /// A short plain-text message (errors, redirects).
        case text(String)
        /// A byte range of a file, streamed by the server.
        case file(path: String, offset: Int64, length: Int64)
    }

    var status: Int
    var headers: PAGIHeaders
    var body: Body

    static func plain(_ status: Int, _ message: String, extraHeaders: [(String, String)] = []) -> StaticFileResponse {
        let text = message + "\n"
        var headers = PAGIHeaders(capacity: 2 + extraHeaders.count)
        headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        headers.add(name: "content-length", value: String(text.utf8.count))
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        return StaticFileResponse(status: status, headers: headers, body: .text(text))
    }
}

/// Decides the static-files response for one request: method, path resolution, validators,
/// conditional requests and ranges (RFC 9110 §13.2.2 evaluation order, minus `If-Match` and
/// `If-Unmodified-Since`, which only matter for state-changing methods).
struct StaticFileResponder: Sendable {
    let configuration: PAGIStaticFilesConfiguration
    let resolver: StaticFilePathResolver

    init(configuration: PAGIStaticFilesConfiguration) throws(PAGIStaticFilesError) {
        self.configuration = configuration
        self.resolver = try StaticFilePathResolver(root: configuration.root, indexFile: configuration.indexFile)
    }

    func respond(to request: PAGIRequestInfo) -> StaticFileResponse {
        let isHead = request.method == "HEAD"
        guard isHead || request.method == "GET" else {
            return .plain(405, "Method Not Allowed", extraHeaders: [("allow", "GET, HEAD")])
        }
        switch self.resolver.resolve(request.path.bytes) {
        case .rejected(let rejection):
            return Self.response(for: rejection)
        case .directoryWithoutSlash:
            var location = Self.redirectPath(request.rawPath)
            if !request.queryString.isEmpty {
                location += [UInt8(ascii: "?")] + request.queryString
            }
            var response = StaticFileResponse.plain(301, "Moved Permanently")
            response.headers.add(nameBytes: Array("location".utf8), valueBytes: location)
            return response
        case .file(let path, let status):
            return self.fileResponse(path: path, status: status, request: request, isHead: isHead)
        }
    }

    /// The raw path plus `/`, with every leading `/` or `\\` collapsed into one `/`.
    ///
    /// A request for `//evil.example` (a directory of that name under the root) would otherwise be
    /// redirected to `//evil.example/`, which browsers read as another host: an open redirect.
    static func redirectPath(_ rawPath: [UInt8]) -> [UInt8] {
        let rest = rawPath.drop(while: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") })
        return [UInt8(ascii: "/")] + rest + [UInt8(ascii: "/")]
    }

    private static func response(for rejection: StaticFilePathResolver.Rejection) -> StaticFileResponse {
        switch rejection {
        case .malformedPath: .plain(400, "Bad Request")
        case .traversal, .outsideRoot, .accessDenied: .plain(403, "Forbidden")
        case .notFound: .plain(404, "Not Found")
        }
    }

    private func fileResponse(path: String, status: FileSystemProbe.Status, request: PAGIRequestInfo, isHead: Bool) -> StaticFileResponse {
        let tag = EntityTag.make(inode: status.inode, modificationNanoseconds: status.modificationNanoseconds, size: status.size)
        let lastModified = HTTPDate.format(status.modificationSeconds)
        var validators = PAGIHeaders(capacity: 6)
        validators.add(name: "etag", value: tag)
        validators.add(name: "last-modified", value: lastModified)

        let headers = request.headers
        if let noneMatch = Self.combined(headers, "if-none-match") {
            if EntityTag.noneMatchListMatches(noneMatch, tag: tag) {
                return StaticFileResponse(status: 304, headers: validators, body: .empty)
            }
        } else if let since = headers.first(name: "if-modified-since"), let date = HTTPDate.parse(since),
            status.modificationSeconds <= date
        {
            return StaticFileResponse(status: 304, headers: validators, body: .empty)
        }

        let fileName = path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...]
        var response = validators
        response.add(
            name: "content-type",
            value: MediaTypes.contentType(
                forFileName: fileName,
                overrides: self.configuration.contentTypes,
                fallback: self.configuration.defaultContentType
            )
        )
        response.add(name: "accept-ranges", value: "bytes")

        // Range handling is defined for GET only (RFC 9110 §14.2); HEAD gets the full headers.
        if !isHead, let range = headers.first(name: "range"), Self.ifRangeAllows(headers, tag: tag, lastModified: lastModified) {
            switch ByteRangeParser.evaluate(range, size: status.size) {
            case .ignore:
                break
            case .unsatisfiable:
                return .plain(416, "Range Not Satisfiable", extraHeaders: [("content-range", "bytes */\(status.size)")])
            case .partial(let offset, let length):
                response.add(name: "content-range", value: "bytes \(offset)-\(offset + length - 1)/\(status.size)")
                response.add(name: "content-length", value: String(length))
                return StaticFileResponse(status: 206, headers: response, body: .file(path: path, offset: offset, length: length))
            }
        }
        response.add(name: "content-length", value: String(status.size))
        let body: StaticFileResponse.Body = isHead || status.size == 0 ? .empty : .file(path: path, offset: 0, length: status.size)
        return StaticFileResponse(status: 200, headers: response, body: body)
    }

    /// `If-Range` absent, or matching the current version: strong tag comparison, or the exact
    /// `Last-Modified` date.
    private static func ifRangeAllows(_ headers: PAGIHeaders, tag: String, lastModified: String) -> Bool {
        guard let ifRange = headers.first(name: "if-range") else { return true }
        if EntityTag.looksLikeTag(ifRange) {
            return EntityTag.strongMatch(ifRange, tag: tag)
        }
        guard let date = HTTPDate.parse(ifRange), let modified = HTTPDate.parse(lastModified) else { return false }
        return date == modified
    }

    /// A list-valued field sent on several lines, joined as one list (RFC 9110 §5.3).
    private static func combined(_ headers: PAGIHeaders, _ name: String) -> String? {
        let values = headers.values(name: name)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}

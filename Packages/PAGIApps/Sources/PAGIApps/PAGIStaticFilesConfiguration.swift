/// What ``PAGIApps/staticFiles(_:)`` serves and how.
///
/// The app answers `GET` and `HEAD` (anything else gets `405` with `Allow: GET, HEAD`):
/// - a regular file under ``root`` → `200` with `Content-Type` by extension, `Content-Length`,
///   `Last-Modified`, `ETag` and `Accept-Ranges: bytes`; the body is sent as
///   `PAGIResponseBody.file(path:offset:length:)` so the server streams it without loading it;
/// - a directory → its ``indexFile``; a directory path without a trailing `/` is redirected
///   (`301`) to the same path with one, so relative links in the index resolve; no listings;
/// - `If-None-Match` (weak comparison, `*`) or, when absent, `If-Modified-Since` → `304`;
/// - one `Range: bytes=…` on `GET` → `206` with `Content-Range`, or `416` with
///   `Content-Range: bytes */<size>` when unsatisfiable; `If-Range` that does not match (strong
///   ETag comparison or exact date) turns the request back into a full `200`. Several ranges in
///   one header are answered with the full `200` (RFC 9110 §14.2 lets a server ignore `Range`).
///
/// Refused: a decoded path containing NUL → `400`; a `..` segment, whether sent literally or
/// percent-encoded (`%2e%2e`, `..%2f`) → `403`; a path that resolves, through symlinks, outside the
/// root → `403`; a file or directory the server may not read → `403`; anything else missing,
/// special (FIFO, device, socket) or named with bytes that are not UTF-8 → `404`.
public struct PAGIStaticFilesConfiguration: Sendable, Hashable {
    /// The directory served. Symlinks inside it are followed as long as their target stays inside
    /// it; the directory itself may be a symlink.
    public var root: String
    /// The file served for a directory. Default: `index.html`.
    public var indexFile: String
    /// Extra or overriding `Content-Type`s by lower-case file extension without the dot
    /// (`["md": "text/markdown; charset=utf-8"]`); consulted before the built-in table.
    public var contentTypes: [String: String]
    /// The `Content-Type` of files whose extension nobody knows. Default: `application/octet-stream`.
    public var defaultContentType: String

    /// Creates a configuration.
    /// - Parameters:
    ///   - root: The directory to serve.
    ///   - indexFile: The file served for a directory.
    ///   - contentTypes: Extra `Content-Type`s by extension.
    ///   - defaultContentType: The fallback `Content-Type`.
    public init(
        root: String,
        indexFile: String = "index.html",
        contentTypes: [String: String] = [:],
        defaultContentType: String = "application/octet-stream"
    ) {
        self.root = root
        self.indexFile = indexFile
        self.contentTypes = contentTypes
        self.defaultContentType = defaultContentType
    }
}

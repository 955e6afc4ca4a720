/// `Content-Type` by file extension for the static-files app.
enum MediaTypes {
    /// The common web types; text types carry `charset=utf-8` since that is what sites ship.
    static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8", "json": "application/json",
        "map": "application/json", "txt": "text/plain; charset=utf-8",
        "md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8",
        "xml": "application/xml", "svg": "image/svg+xml",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "avif": "image/avif", "ico": "image/x-icon", "bmp": "image/bmp",
        "pdf": "application/pdf", "wasm": "application/wasm",
        "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
        "mp4": "video/mp4", "webm": "video/webm", "mp3": "audio/mpeg", "wav": "audio/wav",
        "ogg": "audio/ogg", "zip": "application/zip", "gz": "application/gzip",
        "tar": "application/x-tar", "bin": "application/octet-stream",
    ]

    /// The type for a file name: the configured table, then the built-in one, then the default.
    /// - Parameters:
    ///   - fileName: The last path component.
    ///   - overrides: Configured types by lower-case extension.
    ///   - fallback: The type for unknown extensions.
    static func contentType(forFileName fileName: Substring, overrides: [String: String], fallback: String) -> String {
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return fallback }
        let fileExtension = fileName[fileName.index(after: dot)...].lowercased()
        return overrides[fileExtension] ?? Self.byExtension[fileExtension] ?? fallback
    }
}

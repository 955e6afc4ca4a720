/// The size limits a ``HTTP1RequestParser`` enforces while it reads a request.
///
/// Every limit is checked incrementally, the moment the number it bounds is known: the parser never
/// buffers more than ``maxHeaderSectionSize`` bytes of a header section, rejects an announced
/// `Content-Length` before reading the body, and counts chunked bodies as chunk sizes arrive. Memory
/// per connection therefore stays bounded whatever the peer sends.
///
/// The defaults are those of the reference server (server-behaviour §1 and §3.1).
public struct HTTP1Limits: Sendable, Hashable {
    /// The largest header section accepted, in bytes: the request line and the header lines up to
    /// the final `CRLF CRLF` (the offset of that terminator, as the reference server measures it).
    /// Trailer sections of chunked requests get the same budget of their own.
    ///
    /// Default 8192. Exceeding it is answered with `431 Request Header Fields Too Large`. Raising it
    /// raises the memory every connection may pin before the server has seen a complete request.
    public var maxHeaderSectionSize: Int

    /// The largest number of header fields (lines) accepted in one header section or trailer section.
    ///
    /// Default 100. Exceeding it is answered with `431 Request Header Fields Too Large`. Each field
    /// costs an index entry and a linear scan for the application, so a high count is a cheap way for
    /// a peer to make every request slow.
    public var maxHeaderCount: Int

    /// The longest request line accepted, in bytes, excluding its line ending.
    ///
    /// Default 8192. Exceeding it is answered with `414 URI Too Long` (the request target is the only
    /// unbounded part of the line), and takes precedence over the header-section limit. The request
    /// line is part of the header section, so a value above ``maxHeaderSectionSize`` has no effect.
    public var maxRequestLineLength: Int

    /// The largest request body accepted, in bytes, or `nil` for no limit.
    ///
    /// Default 10 000 000 (10 MB, decimal). A larger announced `Content-Length` is answered with
    /// `413 Content Too Large` before any body byte is read; a chunked body is refused the moment
    /// a chunk size would push the total over the limit. Raising it lets one request hold a worker
    /// for longer; the parser itself never buffers body bytes.
    public var maxBodySize: Int?

    /// The longest chunk extension (`;name=value…` after a chunk size) accepted, in bytes.
    ///
    /// Default 4096. Extensions are skipped, never buffered, but an unbounded extension would let a
    /// peer hold a connection open while sending no body at all. Exceeding it is answered with `400`.
    public var maxChunkExtensionLength: Int

    /// Creates a set of limits; every argument defaults to the reference server's value.
    ///
    /// - Precondition: Sizes are positive and counts are not negative; validate user-supplied values
    ///   (flags, configuration files) before building the limits.
    /// - Parameters:
    ///   - maxHeaderSectionSize: See ``maxHeaderSectionSize``.
    ///   - maxHeaderCount: See ``maxHeaderCount``.
    ///   - maxRequestLineLength: See ``maxRequestLineLength``.
    ///   - maxBodySize: See ``maxBodySize``; `nil` disables the limit.
    ///   - maxChunkExtensionLength: See ``maxChunkExtensionLength``.
    public init(
        maxHeaderSectionSize: Int = 8192,
        maxHeaderCount: Int = 100,
        maxRequestLineLength: Int = 8192,
        maxBodySize: Int? = 10_000_000,
        maxChunkExtensionLength: Int = 4096
    ) {
        precondition(maxHeaderSectionSize > 0, "maxHeaderSectionSize must be positive")
        precondition(maxHeaderCount >= 0, "maxHeaderCount must not be negative")
        precondition(maxRequestLineLength > 0, "maxRequestLineLength must be positive")
        precondition((maxBodySize ?? 0) >= 0, "maxBodySize must not be negative")
        precondition(maxChunkExtensionLength >= 0, "maxChunkExtensionLength must not be negative")
        self.maxHeaderSectionSize = maxHeaderSectionSize
        self.maxHeaderCount = maxHeaderCount
        self.maxRequestLineLength = maxRequestLineLength
        self.maxBodySize = maxBodySize
        self.maxChunkExtensionLength = maxChunkExtensionLength
    }
}

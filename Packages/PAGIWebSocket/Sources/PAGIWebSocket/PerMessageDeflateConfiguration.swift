/// What the server is willing to negotiate for permessage-deflate
/// ([RFC 7692](https://www.rfc-editor.org/rfc/rfc7692)).
public struct PerMessageDeflateConfiguration: Sendable, Hashable {
    /// Always reply `server_no_context_takeover`: compress each outgoing message independently.
    ///
    /// Default `false`. `true` costs compression ratio but frees the server from keeping a
    /// 2^windowBits history between messages.
    public var serverNoContextTakeover: Bool
    /// Ask the client not to keep context (`client_no_context_takeover`).
    ///
    /// Default `false`. The reply carries it anyway when the client offered it.
    public var clientNoContextTakeover: Bool
    /// The largest LZ77 window the server compresses with, 9–15 (2^bits bytes).
    ///
    /// Default 15 (32 KiB). 8 is not offered because zlib's raw deflate cannot produce it; an offer
    /// demanding `server_max_window_bits=8` is declined.
    public var serverMaxWindowBits: Int
    /// The `client_max_window_bits` to request when the client announced support, 8–15.
    ///
    /// Default 15. The server always inflates with a 32 KiB window, which reads any smaller window.
    public var clientMaxWindowBits: Int
    /// The zlib compression level, 0–9, or -1 for zlib's default (6).
    ///
    /// Default 1: most of the size win of level 6 at a fraction of the CPU on chat-like traffic.
    public var compressionLevel: Int32
    /// The zlib memory level, 1–9. Default 8 (zlib's default, about 128 KiB per compressor).
    public var memoryLevel: Int32
    /// Messages shorter than this are sent uncompressed (RSV1 clear).
    ///
    /// Default 64 bytes: below that the deflate block overhead usually outweighs the gain.
    public var minimumMessageSize: Int

    /// Creates a configuration.
    /// - Parameters:
    ///   - serverNoContextTakeover: Reply `server_no_context_takeover` (default `false`).
    ///   - clientNoContextTakeover: Request `client_no_context_takeover` (default `false`).
    ///   - serverMaxWindowBits: The server's largest compression window, 9–15 (default 15).
    ///   - clientMaxWindowBits: The client window to request when allowed, 8–15 (default 15).
    ///   - compressionLevel: The zlib level, -1–9 (default 1).
    ///   - memoryLevel: The zlib memory level, 1–9 (default 8).
    ///   - minimumMessageSize: Messages shorter than this are sent uncompressed (default 64).
    public init(
        serverNoContextTakeover: Bool = false,
        clientNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int = 15,
        clientMaxWindowBits: Int = 15,
        compressionLevel: Int32 = 1,
        memoryLevel: Int32 = 8,
        minimumMessageSize: Int = 64
    ) {
        precondition((9...15).contains(serverMaxWindowBits), "PerMessageDeflateConfiguration: serverMaxWindowBits must be 9...15")
        precondition((8...15).contains(clientMaxWindowBits), "PerMessageDeflateConfiguration: clientMaxWindowBits must be 8...15")
        precondition((-1...9).contains(compressionLevel), "PerMessageDeflateConfiguration: compressionLevel must be -1...9")
        precondition((1...9).contains(memoryLevel), "PerMessageDeflateConfiguration: memoryLevel must be 1...9")
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
        self.compressionLevel = compressionLevel
        self.memoryLevel = memoryLevel
        self.minimumMessageSize = minimumMessageSize
    }
}

/// The permessage-deflate parameters agreed for one connection (the server's reply).
public struct PerMessageDeflateParameters: Sendable, Hashable {
    /// The server resets its compressor after every message.
    public var serverNoContextTakeover: Bool
    /// The client resets its compressor after every message, so we reset our decompressor too.
    public var clientNoContextTakeover: Bool
    /// The server's compression window in bits, if stated in the reply (otherwise 15).
    public var serverMaxWindowBits: Int?
    /// The client's compression window in bits, if stated in the reply.
    public var clientMaxWindowBits: Int?

    /// Creates agreed parameters.
    /// - Parameters:
    ///   - serverNoContextTakeover: Whether the server resets its compressor per message.
    ///   - clientNoContextTakeover: Whether the client resets its compressor per message.
    ///   - serverMaxWindowBits: The server window bits stated in the reply, if any.
    ///   - clientMaxWindowBits: The client window bits stated in the reply, if any.
    public init(
        serverNoContextTakeover: Bool = false,
        clientNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int? = nil,
        clientMaxWindowBits: Int? = nil
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// The `Sec-WebSocket-Extensions` response value, e.g.
    /// `permessage-deflate; server_no_context_takeover; client_max_window_bits=15`.
    public var responseHeaderValue: String {
        var value = "permessage-deflate"
        if self.serverNoContextTakeover { value += "; server_no_context_takeover" }
        if self.clientNoContextTakeover { value += "; client_no_context_takeover" }
        if let bits = self.serverMaxWindowBits { value += "; server_max_window_bits=\(bits)" }
        if let bits = self.clientMaxWindowBits { value += "; client_max_window_bits=\(bits)" }
        return value
    }
}

/// Compresses outgoing messages for permessage-deflate
/// ([RFC 7692 §7.2.1](https://www.rfc-editor.org/rfc/rfc7692#section-7.2.1)).
///
/// Each message is deflated with a sync flush and the trailing `00 00 FF FF` removed; the result
/// is the payload of a data message whose first frame has RSV1 set. With no context takeover the
/// window is reset after every message.
///
/// - Important: Holds a zlib stream: confine an instance to one connection (one event loop); it is
///   deliberately not `Sendable`.
public final class PerMessageDeflateCompressor {
    private let stream: ZlibStream
    private let noContextTakeover: Bool

    /// Creates the server-side compressor for agreed parameters.
    /// - Parameters:
    ///   - parameters: The negotiated parameters (server window and takeover apply).
    ///   - configuration: The compression level and memory level.
    /// - Throws: ``PerMessageDeflateError`` when zlib cannot create the stream.
    public convenience init(
        serverParameters parameters: PerMessageDeflateParameters,
        configuration: PerMessageDeflateConfiguration = PerMessageDeflateConfiguration()
    ) throws(PerMessageDeflateError) {
        try self.init(
            windowBits: parameters.serverMaxWindowBits ?? 15,
            noContextTakeover: parameters.serverNoContextTakeover,
            level: configuration.compressionLevel,
            memoryLevel: configuration.memoryLevel
        )
    }

    /// Creates a compressor.
    /// - Parameters:
    ///   - windowBits: The window size in bits, 9–15.
    ///   - noContextTakeover: Reset the window after every message.
    ///   - level: The zlib compression level, -1–9.
    ///   - memoryLevel: The zlib memory level, 1–9.
    /// - Throws: ``PerMessageDeflateError`` when zlib rejects the parameters or runs out of memory.
    public init(windowBits: Int = 15, noContextTakeover: Bool = false, level: Int32 = 1, memoryLevel: Int32 = 8) throws(PerMessageDeflateError) {
        self.stream = try ZlibStream(deflateLevel: level, windowBits: Int32(windowBits), memoryLevel: memoryLevel)
        self.noContextTakeover = noContextTakeover
    }

    /// Compresses one whole message and appends the frame payload (tail removed) to `output`.
    /// - Parameters:
    ///   - message: The uncompressed message.
    ///   - output: Receives the compressed payload.
    public func compress(_ message: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) {
        guard !message.isEmpty else {
            // zlib emits nothing for a flush without new input, and a bare tail would not inflate;
            // RFC 7692 §7.2.3.6 spells the empty message as one empty stored block, 0x00.
            output.append(0x00)
            return
        }
        let start = output.count
        self.stream.deflateSyncFlush(message, appendingTo: &output)
        // A sync flush always ends with the empty stored block 00 00 FF FF, which RFC 7692 §7.2.1
        // says to strip; the receiver appends it again.
        if output.count - start >= 4 { output.removeLast(4) }
        if self.noContextTakeover { self.stream.reset() }
    }

    /// Compresses one whole message.
    /// - Parameter message: The uncompressed message.
    /// - Returns: The compressed frame payload.
    public func compress(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        message.withUnsafeBytes { self.compress($0, appendingTo: &output) }
        return output
    }
}

@available(*, unavailable)
extension PerMessageDeflateCompressor: Sendable {}

/// Inflates incoming compressed messages for permessage-deflate
/// ([RFC 7692 §7.2.2](https://www.rfc-editor.org/rfc/rfc7692#section-7.2.2)), with a size bound
/// checked while inflating (the decompression-bomb guard).
///
/// Always inflates with a 32 KiB window, which reads data compressed with any smaller window.
///
/// - Important: Holds a zlib stream: confine an instance to one connection; deliberately not `Sendable`.
public final class PerMessageDeflateDecompressor {
    private let stream: ZlibStream
    private let noContextTakeover: Bool
    /// Compressed bytes seen in the current message.
    private var messageInputBytes = 0
    private static let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    /// Creates a decompressor.
    /// - Parameter noContextTakeover: Reset the window after every message
    ///   (the agreed `client_no_context_takeover` on a server).
    /// - Throws: ``PerMessageDeflateError`` when zlib cannot create the stream.
    public init(noContextTakeover: Bool = false) throws(PerMessageDeflateError) {
        self.stream = try ZlibStream(inflateWindowBits: 15)
        self.noContextTakeover = noContextTakeover
    }

    /// Inflates the next frame payload of a compressed message.
    /// - Parameters:
    ///   - payload: The (unmasked) frame payload.
    ///   - isFinal: Whether this is the last frame of the message: the `00 00 FF FF` tail is
    ///     appended and, without context takeover, the window reset.
    ///   - output: Receives the inflated bytes.
    ///   - limit: The largest `output.count` allowed.
    /// - Returns: `nil` on success, otherwise ``WebSocketProtocolError/messageTooLarge(limit:)`` or
    ///   ``WebSocketProtocolError/invalidCompressedData``.
    public func decompress(
        _ payload: UnsafeRawBufferPointer,
        isFinal: Bool,
        appendingTo output: inout [UInt8],
        limit: Int
    ) -> WebSocketProtocolError? {
        self.messageInputBytes += payload.count
        if let error = self.check(self.stream.inflate(payload, appendingTo: &output, limit: limit), limit: limit) {
            return error
        }
        guard isFinal else { return nil }
        defer { self.messageInputBytes = 0 }
        // A compressed message with no bytes at all is taken as empty: the tail alone would leave
        // the inflater inside a half-read stored block and corrupt every later message.
        guard self.messageInputBytes > 0 else { return nil }
        let outcome = Self.tail.withUnsafeBytes { self.stream.inflate($0, appendingTo: &output, limit: limit) }
        if let error = self.check(outcome, limit: limit) { return error }
        if self.noContextTakeover { self.stream.reset() }
        return nil
    }

    private func check(_ outcome: ZlibStream.InflateOutcome, limit: Int) -> WebSocketProtocolError? {
        switch outcome {
        case .ok: nil
        case .corrupt: .invalidCompressedData
        case .overLimit: .messageTooLarge(limit: limit)
        }
    }
}

@available(*, unavailable)
extension PerMessageDeflateDecompressor: Sendable {}

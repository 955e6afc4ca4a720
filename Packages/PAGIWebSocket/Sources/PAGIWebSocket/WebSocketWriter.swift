/// The outbound side of one server connection: permessage-deflate (when negotiated) plus
/// fragmentation, messages in, frame bytes out. The mirror of ``WebSocketReader``.
///
/// Messages shorter than ``PerMessageDeflateConfiguration/minimumMessageSize`` go out uncompressed
/// (RSV1 clear), which RFC 7692 allows per message. Frames are unmasked (server role); a client
/// uses ``WebSocketFrameSerializer`` directly with its own masking keys.
///
/// - Important: Not `Sendable` (it may own a zlib stream); keep it on the connection's event loop.
public struct WebSocketWriter {
    /// Frames messages and fragments them at ``WebSocketFrameSerializer/maxFramePayload``.
    public let serializer: WebSocketFrameSerializer
    private let compressor: PerMessageDeflateCompressor?
    private let minimumCompressedSize: Int
    /// Reused compression output, so steady-state compression does not allocate per message.
    private var scratch: [UInt8] = []

    /// Creates a writer without compression.
    /// - Parameter serializer: The frame serializer (fragment size).
    public init(serializer: WebSocketFrameSerializer = WebSocketFrameSerializer()) {
        self.serializer = serializer
        self.compressor = nil
        self.minimumCompressedSize = 0
    }

    /// Creates a writer that compresses when permessage-deflate was negotiated.
    /// - Parameters:
    ///   - serializer: The frame serializer (fragment size).
    ///   - deflate: The negotiated parameters, or `nil` for no compression.
    ///   - configuration: Compression level, memory level and minimum message size.
    /// - Throws: ``PerMessageDeflateError`` when zlib cannot create the compressor.
    public init(
        serializer: WebSocketFrameSerializer = WebSocketFrameSerializer(),
        deflate: PerMessageDeflateParameters?,
        configuration: PerMessageDeflateConfiguration = PerMessageDeflateConfiguration()
    ) throws(PerMessageDeflateError) {
        self.serializer = serializer
        self.compressor = try deflate.map { parameters throws(PerMessageDeflateError) in
            try PerMessageDeflateCompressor(serverParameters: parameters, configuration: configuration)
        }
        self.minimumCompressedSize = configuration.minimumMessageSize
    }

    /// Appends a data message as one or more frames, compressed when negotiated and large enough.
    /// - Parameters:
    ///   - opcode: `.text` (payload must be UTF-8) or `.binary`.
    ///   - payload: The uncompressed message.
    ///   - output: Receives the frames.
    public mutating func writeMessage(opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        guard let compressor = self.compressor, payload.count >= self.minimumCompressedSize else {
            self.serializer.writeMessage(opcode: opcode, payload: payload, into: &output)
            return
        }
        self.scratch.removeAll(keepingCapacity: true)
        compressor.compress(payload, appendingTo: &self.scratch)
        self.scratch.withUnsafeBytes {
            self.serializer.writeMessage(opcode: opcode, payload: $0, compressed: true, into: &output)
        }
    }

    /// Appends a text or binary message; see ``writeMessage(opcode:payload:into:)``.
    /// - Parameters:
    ///   - message: The message.
    ///   - output: Receives the frames.
    public mutating func writeMessage(_ message: WebSocketMessage, into output: inout [UInt8]) {
        switch message {
        case .text(var text):
            text.withUTF8 { self.writeMessage(opcode: .text, payload: UnsafeRawBufferPointer($0), into: &output) }
        case .binary(let bytes):
            bytes.withUnsafeBytes { self.writeMessage(opcode: .binary, payload: $0, into: &output) }
        }
    }
}

@available(*, unavailable)
extension WebSocketWriter: Sendable {}

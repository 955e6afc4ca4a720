/// The inbound side of one WebSocket connection: ``WebSocketFrameParser`` plus
/// ``WebSocketMessageAssembler`` (and, when negotiated, permessage-deflate), bytes in, events out.
///
/// This is the type a NIO handler drives: for each read, call ``read(_:)`` with the readable bytes,
/// advance the reader index by `consumed`, act on the event, and repeat while bytes remain and the
/// event is not `.needMoreData`. After `.protocolError` the reader stays failed.
///
/// ```swift
/// var reader = WebSocketReader()
/// var offset = 0
/// while offset < bytes.count {
///     let (consumed, event) = reader.read(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
///     offset += consumed
///     if event == .needMoreData { break }
///     handle(event)
/// }
/// ```
///
/// - Important: Not `Sendable` (it may own a zlib stream); keep it on the connection's event loop.
public struct WebSocketReader {
    private var parser: WebSocketFrameParser
    private var assembler: WebSocketMessageAssembler
    private var failure: WebSocketProtocolError?

    /// Creates a reader.
    /// - Parameters:
    ///   - role: Our end of the connection (default `.server`).
    ///   - limits: Frame and message limits.
    ///   - deflate: The negotiated permessage-deflate parameters, or `nil`.
    /// - Throws: ``PerMessageDeflateError`` when the decompressor cannot be created.
    public init(
        role: WebSocketRole = .server,
        limits: WebSocketLimits = WebSocketLimits(),
        deflate: PerMessageDeflateParameters?
    ) throws(PerMessageDeflateError) {
        var decompressor: PerMessageDeflateDecompressor?
        if let deflate {
            let peerResets = role == .server ? deflate.clientNoContextTakeover : deflate.serverNoContextTakeover
            decompressor = try PerMessageDeflateDecompressor(noContextTakeover: peerResets)
        }
        self.parser = WebSocketFrameParser(role: role, limits: limits, allowsCompressionBit: deflate != nil)
        self.assembler = WebSocketMessageAssembler(limits: limits, decompressor: decompressor)
    }

    /// Creates a reader without compression (cannot fail).
    /// - Parameters:
    ///   - role: Our end of the connection (default `.server`).
    ///   - limits: Frame and message limits.
    public init(role: WebSocketRole = .server, limits: WebSocketLimits = WebSocketLimits()) {
        self.parser = WebSocketFrameParser(role: role, limits: limits)
        self.assembler = WebSocketMessageAssembler(limits: limits)
    }

    /// Reads until one event is ready or the input is exhausted.
    /// - Parameter input: The bytes not yet consumed; only read during the call.
    /// - Returns: The bytes consumed and the event (`.needMoreData` once all input is consumed
    ///   without completing anything).
    public mutating func read(_ input: UnsafeRawBufferPointer) -> (consumed: Int, event: WebSocketInboundEvent) {
        if let failure = self.failure { return (0, .protocolError(failure)) }
        var offset = 0
        while true {
            let (consumed, result) = self.parser.parse(UnsafeRawBufferPointer(rebasing: input[offset...]))
            offset += consumed
            switch result {
            case .needMoreData:
                if let header = self.parser.headerInProgress,
                    let error = self.assembler.validatePartialPayload(header, payload: self.parser.payloadBuffer)
                {
                    self.failure = error
                    return (offset, .protocolError(error))
                }
                return (offset, .needMoreData)
            case .protocolError(let error):
                self.failure = error
                return (offset, .protocolError(error))
            case .frame(let header):
                if let event = self.assembler.receive(header, payload: &self.parser.payloadBuffer) {
                    if case .protocolError(let error) = event { self.failure = error }
                    return (offset, event)
                }
            }
        }
    }

    /// Reads from an array; see ``read(_:)``.
    /// - Parameter input: The bytes not yet consumed.
    /// - Returns: The bytes consumed and the event.
    public mutating func read(_ input: [UInt8]) -> (consumed: Int, event: WebSocketInboundEvent) {
        input.withUnsafeBytes { self.read($0) }
    }
}

@available(*, unavailable)
extension WebSocketReader: Sendable {}

/// Turns validated frames into messages: reassembly, decompression, UTF-8 validation, Close payloads
/// ([RFC 6455 §5.4, §5.5, §8.1](https://www.rfc-editor.org/rfc/rfc6455#section-5.4), [RFC 7692 §6]).
///
/// Frame-order rules (continuations, interleaved control frames) are already enforced by
/// ``WebSocketFrameParser``; this type trusts that order. Text is validated fragment by fragment
/// (and, driven by ``WebSocketReader``, inside a frame while it arrives), so an invalid byte fails
/// the message as soon as it is read, not at the end.
///
/// - Important: With permessage-deflate it holds a zlib stream (a reference): copies share it, so
///   keep exactly one assembler per connection. Not `Sendable`.
///
/// [RFC 7692 §6]: https://www.rfc-editor.org/rfc/rfc7692#section-6
public struct WebSocketMessageAssembler {
    private enum State {
        case idle
        case assembling(kind: WebSocketOpcode, compressed: Bool)
    }

    /// The size limits (``WebSocketLimits/maxMessageSize`` bounds the inflated size).
    public let limits: WebSocketLimits
    private let decompressor: PerMessageDeflateDecompressor?
    private var state: State = .idle
    private var buffer: [UInt8] = []
    private var utf8 = WebSocketUTF8Validator()
    /// Bytes of the current frame's payload already validated while the frame was arriving.
    private var validatedPrefix = 0

    /// Creates an assembler.
    /// - Parameters:
    ///   - limits: The size limits.
    ///   - decompressor: The permessage-deflate decompressor when negotiated, else `nil`.
    public init(limits: WebSocketLimits = WebSocketLimits(), decompressor: PerMessageDeflateDecompressor? = nil) {
        self.limits = limits
        self.decompressor = decompressor
    }

    /// Consumes one frame from ``WebSocketFrameParser``.
    /// - Parameters:
    ///   - header: The frame header.
    ///   - payload: The unmasked payload. The assembler may take its storage (leaving it empty)
    ///     when it becomes the message as is, which saves a copy for unfragmented messages.
    /// - Returns: The event to act on, or `nil` when the frame was a non-final fragment.
    public mutating func receive(_ header: WebSocketFrameHeader, payload: inout [UInt8]) -> WebSocketInboundEvent? {
        let kind: WebSocketOpcode
        let compressed: Bool
        switch header.opcode {
        case .ping:
            return .ping(payload)
        case .pong:
            return .pong(payload)
        case .close:
            switch WebSocketClosePayload.parse(payload) {
            case .success(let close): return .close(close)
            case .failure(let error): return .protocolError(error)
            }
        case .text, .binary:
            kind = header.opcode
            compressed = header.rsv1
            self.buffer.removeAll(keepingCapacity: true)
            if self.validatedPrefix == 0 { self.utf8.reset() }
        case .continuation:
            switch self.state {
            case .assembling(let current, let isCompressed):
                kind = current
                compressed = isCompressed
            case .idle:
                preconditionFailure("WebSocketMessageAssembler: continuation with no message in progress; feed frames only from WebSocketFrameParser")
            }
        }

        if compressed {
            guard let decompressor = self.decompressor else {
                preconditionFailure("WebSocketMessageAssembler: RSV1 frame without a decompressor; create the parser with allowsCompressionBit only when deflate was negotiated")
            }
            let start = self.buffer.count
            let error = payload.withUnsafeBytes {
                decompressor.decompress($0, isFinal: header.fin, appendingTo: &self.buffer, limit: self.limits.maxMessageSize)
            }
            if let error { return self.fail(error) }
            if kind == .text {
                let valid = self.buffer.withUnsafeBytes { self.utf8.consume(UnsafeRawBufferPointer(rebasing: $0[start...])) }
                if !valid { return self.fail(.invalidUTF8) }
            }
        } else {
            if kind == .text {
                let valid = payload.withUnsafeBytes { self.utf8.consume(UnsafeRawBufferPointer(rebasing: $0[self.validatedPrefix...])) }
                if !valid { return self.fail(.invalidUTF8) }
            }
            self.validatedPrefix = 0
            if header.fin && self.buffer.isEmpty {
                // Unfragmented (the common case): the parser's buffer becomes the message.
                swap(&self.buffer, &payload)
            } else {
                self.buffer.append(contentsOf: payload)
            }
        }

        guard header.fin else {
            self.state = .assembling(kind: kind, compressed: compressed)
            return nil
        }
        self.state = .idle
        if kind == .text && !self.utf8.isAtCharacterBoundary { return self.fail(.invalidUTF8) }
        var message: [UInt8] = []
        swap(&message, &self.buffer)
        if kind == .text {
            return .message(.text(String(decoding: message, as: UTF8.self)))
        }
        return .message(.binary(message))
    }

    /// Validates the part of an uncompressed text frame that has arrived so far, so invalid UTF-8
    /// fails the connection before the rest of a large frame is read (RFC 6455 §8.1: fail as soon
    /// as the prefix cannot be valid). Compressed frames are validated after inflating instead.
    /// - Parameters:
    ///   - header: The header of the frame still arriving.
    ///   - payload: Its unmasked payload so far.
    /// - Returns: ``WebSocketProtocolError/invalidUTF8`` once the prefix is invalid, else `nil`.
    mutating func validatePartialPayload(_ header: WebSocketFrameHeader, payload: [UInt8]) -> WebSocketProtocolError? {
        switch (header.opcode, self.state) {
        case (.text, _) where !header.rsv1:
            if self.validatedPrefix == 0 { self.utf8.reset() }
        case (.continuation, .assembling(.text, compressed: false)):
            break
        case (.continuation, _), (.text, _), (.binary, _), (.close, _), (.ping, _), (.pong, _):
            return nil
        }
        let valid = payload.withUnsafeBytes { self.utf8.consume(UnsafeRawBufferPointer(rebasing: $0[self.validatedPrefix...])) }
        self.validatedPrefix = payload.count
        return valid ? nil : .invalidUTF8
    }

    private mutating func fail(_ error: WebSocketProtocolError) -> WebSocketInboundEvent {
        self.state = .idle
        self.validatedPrefix = 0
        self.buffer = []
        return .protocolError(error)
    }
}

@available(*, unavailable)
extension WebSocketMessageAssembler: Sendable {}

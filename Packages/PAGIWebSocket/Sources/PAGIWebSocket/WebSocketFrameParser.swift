/// What one ``WebSocketFrameParser/parse(_:)`` step produced.
public enum WebSocketFrameParseResult: Sendable, Hashable {
    /// All input was consumed and no frame is complete yet; call again with more bytes.
    case needMoreData
    /// A complete, valid frame. Its unmasked payload is available from the parser
    /// (``WebSocketFrameParser/withPayload(_:)``, ``WebSocketFrameParser/takePayload()``) until the
    /// next call to ``WebSocketFrameParser/parse(_:)``.
    case frame(WebSocketFrameHeader)
    /// The peer violated the protocol or a limit; fail the connection with
    /// ``WebSocketProtocolError/closeCode``. The parser stays failed.
    case protocolError(WebSocketProtocolError)
}

/// An incremental RFC 6455 frame parser: borrowed bytes in, bytes consumed plus one result out.
///
/// The caller hands over whatever arrived (`UnsafeRawBufferPointer`, e.g. a ByteBuffer's readable
/// bytes), advances its reader index by `consumed`, and calls again while bytes remain and the
/// result is a frame. Any split of the input yields the same frames and the same error.
///
/// Enforced per frame, each the moment the deciding byte arrives ([RFC 6455 §5.2]):
/// - RSV1–3 must be 0 unless an extension defines them (RSV1 with permessage-deflate, and then
///   only on the first frame of a data message);
/// - opcodes 0x3–0x7 and 0xB–0xF are rejected;
/// - control frames carry at most 125 bytes and have FIN set;
/// - masking per ``WebSocketRole`` (a server rejects unmasked frames, a client masked ones);
/// - the payload length uses the minimal encoding and a 64-bit length has its top bit clear;
/// - fragmentation order: no continuation without a message in progress, no new data message
///   while one is in progress (control frames may be interleaved);
/// - ``WebSocketLimits/maxFrameSize`` per frame and ``WebSocketLimits/maxMessageSize`` for the
///   wire bytes of a whole message, before any payload byte is buffered.
///
/// Not enforced here: UTF-8 of text payloads, Close payload contents, decompression — see
/// ``WebSocketMessageAssembler`` and ``WebSocketReader``.
///
/// The payload is copied once, unmasked word-at-a-time, into a buffer the parser reuses across
/// frames, so parsing allocates nothing in steady state unless the caller takes the payload.
///
/// [RFC 6455 §5.2]: https://www.rfc-editor.org/rfc/rfc6455#section-5.2
public struct WebSocketFrameParser: Sendable {
    private enum State: Sendable {
        /// Waiting for (the rest of) a frame header.
        case header
        /// Copying the payload of `header`; `received` bytes are already in `payloadBuffer`.
        case payload(WebSocketFrameHeader, received: Int)
        /// A protocol error happened; every further call reports it again.
        case failed(WebSocketProtocolError)
    }

    /// The outcome of trying to decode a header from the bytes available so far.
    private enum HeaderDecoding {
        case needMoreData
        case failure(WebSocketProtocolError)
        case header(WebSocketFrameHeader, length: Int)
    }

    /// The role deciding the masking rule.
    public let role: WebSocketRole
    /// The size limits.
    public let limits: WebSocketLimits
    /// Whether RSV1 may be set (permessage-deflate negotiated).
    public let allowsCompressionBit: Bool

    private var state: State = .header
    /// Header bytes of a header split across reads; empty on the fast path.
    private var partialHeader: [UInt8] = []
    /// The current frame's unmasked payload; `internal` so ``WebSocketReader`` can hand it to the
    /// assembler without a copy.
    var payloadBuffer: [UInt8] = []
    /// Whether a fragmented data message has started and not yet ended.
    private var messageInProgress = false
    /// Wire bytes of the message in progress, for the message-size check at each header.
    private var messageWireBytes = 0

    /// Creates a parser.
    /// - Parameters:
    ///   - role: Our end of the connection (default `.server`: inbound frames must be masked).
    ///   - limits: Frame and message size limits.
    ///   - allowsCompressionBit: `true` when permessage-deflate was negotiated, allowing RSV1 on
    ///     the first frame of a data message.
    public init(role: WebSocketRole = .server, limits: WebSocketLimits = WebSocketLimits(), allowsCompressionBit: Bool = false) {
        self.role = role
        self.limits = limits
        self.allowsCompressionBit = allowsCompressionBit
    }

    /// Parses at most one frame from `input`.
    ///
    /// - Parameter input: The bytes not yet consumed. They are only read during the call.
    /// - Returns: How many bytes of `input` were consumed, and the result. After `.frame` call
    ///   again with the remaining bytes; after `.needMoreData` every byte was consumed.
    public mutating func parse(_ input: UnsafeRawBufferPointer) -> (consumed: Int, result: WebSocketFrameParseResult) {
        var offset = 0
        while true {
            switch self.state {
            case .failed(let error):
                return (offset, .protocolError(error))

            case .header where self.partialHeader.isEmpty:
                // Fast path: the whole header is in this read, decode it in place.
                let available = UnsafeRawBufferPointer(rebasing: input[offset...])
                switch self.decodeHeader(available) {
                case .needMoreData:
                    self.partialHeader.append(contentsOf: available)
                    return (input.count, .needMoreData)
                case .failure(let error):
                    self.state = .failed(error)
                    return (input.count, .protocolError(error))
                case .header(let header, let length):
                    offset += length
                    if let frame = self.begin(header) { return (offset, .frame(frame)) }
                }

            case .header:
                // Slow path: the header straddles reads. Add one byte at a time (at most 14) so the
                // checks run at exactly the same byte as on the fast path.
                var decoded = false
                while !decoded && offset < input.count {
                    self.partialHeader.append(input[offset])
                    offset += 1
                    switch self.partialHeader.withUnsafeBytes({ self.decodeHeader($0) }) {
                    case .needMoreData:
                        continue
                    case .failure(let error):
                        self.state = .failed(error)
                        return (input.count, .protocolError(error))
                    case .header(let header, _):
                        self.partialHeader.removeAll(keepingCapacity: true)
                        decoded = true
                        if let frame = self.begin(header) { return (offset, .frame(frame)) }
                    }
                }
                if !decoded { return (offset, .needMoreData) }

            case .payload(let header, let received):
                let take = min(header.payloadLength - received, input.count - offset)
                if take > 0 {
                    self.appendPayload(UnsafeRawBufferPointer(rebasing: input[offset..<(offset + take)]), key: header.maskingKey, phase: received)
                    offset += take
                }
                if received + take == header.payloadLength {
                    self.state = .header
                    return (offset, .frame(header))
                }
                self.state = .payload(header, received: received + take)
                return (offset, .needMoreData)
            }
        }
    }

    /// The header of the frame whose payload is still arriving (its bytes so far are in
    /// `payloadBuffer`), so the reader can validate text before the frame completes.
    var headerInProgress: WebSocketFrameHeader? {
        switch self.state {
        case .payload(let header, _): header
        case .header, .failed: nil
        }
    }

    /// Calls `body` with the unmasked payload of the frame just returned, without copying.
    /// - Parameter body: Reads the payload; the pointer must not escape.
    /// - Returns: What `body` returns.
    public func withPayload<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try self.payloadBuffer.withUnsafeBytes(body)
    }

    /// The unmasked payload of the frame just returned (a copy-on-write share of the parser's buffer).
    public var payload: [UInt8] { self.payloadBuffer }

    /// Moves the unmasked payload of the frame just returned out of the parser; the next frame then
    /// allocates a fresh buffer.
    /// - Returns: The payload.
    public mutating func takePayload() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &self.payloadBuffer)
        return taken
    }

    /// Accepts a decoded header: updates fragmentation bookkeeping and prepares the payload buffer.
    /// - Returns: The header when the frame is already complete (empty payload).
    private mutating func begin(_ header: WebSocketFrameHeader) -> WebSocketFrameHeader? {
        switch header.opcode {
        case .text, .binary:
            self.messageInProgress = !header.fin
            self.messageWireBytes = header.fin ? 0 : header.payloadLength
        case .continuation:
            self.messageInProgress = !header.fin
            self.messageWireBytes = header.fin ? 0 : self.messageWireBytes + header.payloadLength
        case .close, .ping, .pong:
            break
        }
        self.payloadBuffer.removeAll(keepingCapacity: true)
        if header.payloadLength == 0 {
            self.state = .header
            return header
        }
        self.payloadBuffer.reserveCapacity(header.payloadLength)
        self.state = .payload(header, received: 0)
        return nil
    }

    /// Appends payload bytes, unmasking them in place.
    private mutating func appendPayload(_ bytes: UnsafeRawBufferPointer, key: WebSocketMaskingKey?, phase: Int) {
        let start = self.payloadBuffer.count
        self.payloadBuffer.append(contentsOf: bytes)
        guard let key else { return }
        self.payloadBuffer.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            let region = base + start
            key.apply(from: UnsafeRawPointer(region), to: region, count: bytes.count, phase: phase)
        }
    }

    /// Decodes a header from the bytes available, checking each rule as soon as its byte is present
    /// so that every split of the input fails at the same rule.
    private func decodeHeader(_ bytes: UnsafeRawBufferPointer) -> HeaderDecoding {
        guard bytes.count >= 1 else { return .needMoreData }
        let first = bytes[0]
        let fin = first & 0x80 != 0
        let rsv1 = first & 0x40 != 0
        if first & 0x30 != 0 || (rsv1 && !self.allowsCompressionBit) { return .failure(.reservedBitsSet) }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else { return .failure(.reservedOpcode(first & 0x0F)) }
        switch opcode {
        case .close, .ping, .pong:
            if !fin { return .failure(.fragmentedControlFrame) }
            if rsv1 { return .failure(.unexpectedCompressionBit(opcode)) }
        case .continuation:
            if !self.messageInProgress { return .failure(.unexpectedContinuation) }
            if rsv1 { return .failure(.unexpectedCompressionBit(opcode)) }
        case .text, .binary:
            if self.messageInProgress { return .failure(.expectedContinuation(opcode)) }
        }

        guard bytes.count >= 2 else { return .needMoreData }
        let second = bytes[1]
        let masked = second & 0x80 != 0
        switch self.role {
        case .server where !masked: return .failure(.unmaskedClientFrame)
        case .client where masked: return .failure(.maskedServerFrame)
        case .server, .client: break
        }
        let shortLength = Int(second & 0x7F)
        if opcode.isControl && shortLength > 125 { return .failure(.controlFrameTooLarge(shortLength)) }

        let extendedLengthSize = shortLength == 127 ? 8 : (shortLength == 126 ? 2 : 0)
        guard bytes.count >= 2 + extendedLengthSize else { return .needMoreData }
        let length: Int
        switch extendedLengthSize {
        case 2:
            let value = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
            if value < 126 { return .failure(.nonMinimalLength) }
            length = Int(value)
        case 8:
            var value: UInt64 = 0
            for index in 2..<10 { value = value << 8 | UInt64(bytes[index]) }
            if value & (1 << 63) != 0 { return .failure(.lengthOverflow) }
            if value <= 0xFFFF { return .failure(.nonMinimalLength) }
            length = Int(value)
        default:
            length = shortLength
        }
        if length > self.limits.maxFrameSize { return .failure(.frameTooLarge(size: length, limit: self.limits.maxFrameSize)) }
        if !opcode.isControl {
            let before = opcode == .continuation ? self.messageWireBytes : 0
            if length > self.limits.maxMessageSize - before { return .failure(.messageTooLarge(limit: self.limits.maxMessageSize)) }
        }

        let headerLength = 2 + extendedLengthSize + (masked ? 4 : 0)
        guard bytes.count >= headerLength else { return .needMoreData }
        var key: WebSocketMaskingKey?
        if masked {
            let at = 2 + extendedLengthSize
            key = WebSocketMaskingKey(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3])
        }
        let header = WebSocketFrameHeader(
            fin: fin, rsv1: rsv1, rsv2: false, rsv3: false, opcode: opcode, maskingKey: key, payloadLength: length
        )
        return .header(header, length: headerLength)
    }
}

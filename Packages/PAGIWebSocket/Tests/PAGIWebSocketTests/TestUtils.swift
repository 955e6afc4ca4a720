import Testing
import PAGIWebSocket

/// A fixed client masking key for building inbound frames.
let testKey = WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D)

/// Builds one masked client frame (or unmasked with `key: nil`).
func clientFrame(
    _ opcode: WebSocketOpcode,
    _ payload: [UInt8],
    fin: Bool = true,
    rsv1: Bool = false,
    key: WebSocketMaskingKey? = testKey
) -> [UInt8] {
    var out: [UInt8] = []
    payload.withUnsafeBytes {
        WebSocketFrameSerializer.writeFrame(opcode: opcode, payload: $0, fin: fin, rsv1: rsv1, maskingKey: key, into: &out)
    }
    return out
}

/// Builds a frame from raw header bytes and an unmasked payload, masking it with `testKey`.
/// Lets tests craft headers the serializer never produces (non-minimal lengths, reserved bits).
func rawFrame(_ headerPrefix: [UInt8], payload: [UInt8] = [], key: WebSocketMaskingKey? = testKey) -> [UInt8] {
    var out = headerPrefix
    var body = payload
    if let key {
        out += [key[0], key[1], key[2], key[3]]
        key.apply(to: &body)
    }
    return out + body
}

/// Feeds `input` to a fresh reader split into the given chunk boundaries and collects every event
/// until the input is exhausted or an error occurs.
func readEvents(
    _ input: [UInt8],
    splits: [Int] = [],
    makeReader: () -> WebSocketReader = { WebSocketReader() }
) -> [WebSocketInboundEvent] {
    var reader = makeReader()
    var events: [WebSocketInboundEvent] = []
    var chunks: [ArraySlice<UInt8>] = []
    var start = 0
    for split in splits.sorted() where split > start && split < input.count {
        chunks.append(input[start..<split])
        start = split
    }
    chunks.append(input[start...])
    for chunk in chunks {
        let bytes = Array(chunk)
        var offset = 0
        repeat {
            let (consumed, event) = bytes.withUnsafeBytes { reader.read(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            offset += consumed
            if event == .needMoreData { break }
            events.append(event)
            if case .protocolError = event { return events }
        } while offset < bytes.count
    }
    return events
}

/// The events for `input` fed whole, one byte at a time, and split at every single point; all
/// must agree (this is the byte-split rule every parser test goes through).
func eventsForEverySplit(
    _ input: [UInt8],
    makeReader: () -> WebSocketReader = { WebSocketReader() }
) -> (whole: [WebSocketInboundEvent], allAgree: Bool) {
    let whole = readEvents(input, makeReader: makeReader)
    var agree = readEvents(input, splits: Array(0..<input.count), makeReader: makeReader) == whole
    for split in 0...input.count where agree {
        agree = readEvents(input, splits: [split], makeReader: makeReader) == whole
    }
    return (whole, agree)
}

/// A server reader with permessage-deflate; zlib failing to allocate a stream ends the test run.
func deflateReader(
    _ parameters: PerMessageDeflateParameters = PerMessageDeflateParameters(),
    limits: WebSocketLimits = WebSocketLimits()
) -> WebSocketReader {
    do {
        return try WebSocketReader(limits: limits, deflate: parameters)
    } catch {
        preconditionFailure("zlib could not create an inflate stream: \(error)")
    }
}

/// Parses `input` with a fresh parser, returning every result (frames with payloads) in order.
func parseAll(
    _ input: [UInt8],
    parser: WebSocketFrameParser = WebSocketFrameParser(),
    splits: [Int] = []
) -> [String] {
    var parser = parser
    var results: [String] = []
    var start = 0
    var chunks: [[UInt8]] = []
    for split in splits.sorted() where split > start && split < input.count {
        chunks.append(Array(input[start..<split]))
        start = split
    }
    chunks.append(Array(input[start...]))
    for chunk in chunks {
        var offset = 0
        repeat {
            let (consumed, result) = chunk.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            offset += consumed
            switch result {
            case .needMoreData:
                break
            case .frame(let header):
                results.append("\(header.opcode) fin=\(header.fin) rsv1=\(header.rsv1) \(parser.payload)")
                continue
            case .protocolError(let error):
                results.append("error \(error)")
                return results
            }
            break
        } while offset < chunk.count
    }
    return results
}

/// Results for whole input, one byte at a time, and every single split point must agree.
func expectSplitInvariant(
    _ input: [UInt8],
    parser: WebSocketFrameParser = WebSocketFrameParser(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> [String] {
    let whole = parseAll(input, parser: parser)
    #expect(parseAll(input, parser: parser, splits: Array(0..<input.count)) == whole, sourceLocation: sourceLocation)
    for split in 0...input.count {
        #expect(parseAll(input, parser: parser, splits: [split]) == whole, "split at \(split)", sourceLocation: sourceLocation)
    }
    return whole
}

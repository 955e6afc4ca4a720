import NIOCore
import PAGIHTTP1

/// Adapts ``HTTP1RequestParser`` (NIO-free, borrowed bytes) to the connection's `ByteBuffer`:
/// it lends the readable bytes to the parser, moves the reader index by what was consumed, and
/// turns body ranges into slices that share the receive buffer's storage.
struct RequestDecoder {
    enum Result {
        case needMoreData
        case head(HTTP1RequestHead)
        case body(ByteBuffer)
        case end
        case error(HTTP1ParseError)
    }

    private(set) var parser: HTTP1RequestParser

    init(limits: PAGIServerLimits) {
        self.parser = HTTP1RequestParser(
            limits: HTTP1Limits(
                maxHeaderSectionSize: limits.maxHeaderSize,
                maxHeaderCount: limits.maxHeaderCount,
                maxRequestLineLength: limits.maxRequestTargetLength,
                maxBodySize: limits.maxBodySize.flatMap { $0 == 0 ? nil : $0 }
            )
        )
    }

    /// Whether no byte of a next request has been seen.
    var isIdle: Bool { self.parser.isIdle }

    /// Parses up to the next event, consuming bytes from `buffer`.
    mutating func next(_ buffer: inout ByteBuffer) -> Result {
        let readerIndex = buffer.readerIndex
        let result = buffer.withUnsafeReadableBytes { self.parser.parse($0) }
        switch result.event {
        case .needMoreData:
            buffer.moveReaderIndex(forwardBy: result.consumed)
            return .needMoreData
        case .head:
            buffer.moveReaderIndex(forwardBy: result.consumed)
            return .head(self.parser.head)
        case .body(let range):
            // Ranges are relative to the bytes lent to the parser, i.e. to the reader index.
            let slice = buffer.getSlice(at: readerIndex + range.lowerBound, length: range.count) ?? ByteBuffer()
            buffer.moveReaderIndex(forwardBy: result.consumed)
            return .body(slice)
        case .end:
            buffer.moveReaderIndex(forwardBy: result.consumed)
            return .end
        case .error(let error):
            return .error(error)
        }
    }
}

/// What one call of ``HTTP1RequestParser/parse(_:)`` found.
public enum HTTP1ParseEvent: Sendable, Hashable {
    /// Every byte given was consumed (buffered or skipped) and no event is complete: call again
    /// with more bytes.
    case needMoreData
    /// A request head is complete; read it from ``HTTP1RequestParser/head``.
    case head
    /// Body bytes: this range of the buffer passed to the call (decoded chunk data for chunked
    /// bodies). The bytes are not copied — use them before the buffer is released.
    case body(Range<Int>)
    /// The current request is complete (for chunked bodies, trailers are in
    /// ``HTTP1RequestParser/trailers``). The next call starts the next request.
    case end
    /// The request is invalid; answer with the error's status and close the connection. Every later
    /// call returns the same error.
    case error(HTTP1ParseError)
}

/// The outcome of one ``HTTP1RequestParser/parse(_:)`` call: how many bytes were consumed and the event.
public struct HTTP1ParseResult: Sendable, Hashable {
    /// How many bytes from the start of the buffer the parser consumed; advance the reader index by this.
    public var consumed: Int
    /// What the consumed bytes completed.
    public var event: HTTP1ParseEvent

    /// Creates a result.
    /// - Parameters:
    ///   - consumed: The number of bytes consumed.
    ///   - event: The event.
    public init(consumed: Int, event: HTTP1ParseEvent) {
        self.consumed = consumed
        self.event = event
    }
}

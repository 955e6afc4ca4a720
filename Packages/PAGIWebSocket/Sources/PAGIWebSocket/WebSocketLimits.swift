/// Size limits applied to inbound frames and messages.
///
/// Each limit is checked the moment its number is known — a frame's declared length right after
/// the header, a message's size before each fragment is buffered, a decompressed message's size
/// while inflating — so no peer can make us buffer more than the limit.
public struct WebSocketLimits: Sendable, Hashable {
    /// The largest payload, in bytes, one inbound frame may declare.
    ///
    /// Default 65 536, the reference server's `max_ws_frame_size`. A frame declaring more fails the
    /// connection with Close 1009 before any payload byte is buffered. Raising it raises the memory
    /// one connection can pin while a frame arrives.
    public var maxFrameSize: Int

    /// The largest message, in bytes, after reassembly and after decompression.
    ///
    /// Default 8 MiB: the reference server's frame library capped messages at 128 fragments of
    /// 64 KiB. A message growing past it fails the connection with Close 1009; for compressed
    /// messages the inflated size counts, which is the guard against decompression bombs. Raising it
    /// raises the memory each connection may hold for one message.
    public var maxMessageSize: Int

    /// Creates limits.
    /// - Parameters:
    ///   - maxFrameSize: The largest inbound frame payload in bytes (default 65 536).
    ///   - maxMessageSize: The largest inbound message in bytes (default 8 MiB).
    public init(maxFrameSize: Int = 65_536, maxMessageSize: Int = 8 * 1024 * 1024) {
        precondition(maxFrameSize >= 0 && maxMessageSize >= 0, "WebSocketLimits: limits must not be negative")
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
    }
}

/// Which end of the connection we are; decides the masking rule (RFC 6455 §5.1).
public enum WebSocketRole: Sendable, Hashable {
    /// We are the server: inbound frames must be masked, outbound frames are not.
    case server
    /// We are the client: inbound frames must not be masked, outbound frames are.
    case client
}

/// Fired inbound (`fireUserInboundEventTriggered`) by ``TLSServerHandler`` once the handshake completes,
/// before any decrypted byte is passed on. The server builds the connection's scopes from ``info``.
public struct TLSHandshakeCompletedEvent: Sendable, Hashable {
    /// What was negotiated.
    public var info: TLSConnectionInfo

    /// Creates the event.
    /// - Parameter info: What was negotiated.
    public init(info: TLSConnectionInfo) {
        self.info = info
    }
}

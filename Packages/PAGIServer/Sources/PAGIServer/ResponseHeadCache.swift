import PAGI
import PAGIHTTP1

/// The last response head one connection wrote, byte for byte, reused while the application sends
/// the same `http.response.start` for the same kind of request within the same second.
///
/// The serializer's output depends only on the key below (and the connection's fixed server name),
/// so a hit writes exactly the bytes a fresh serialization would. Validating and rendering a head
/// field by field was the largest user-space cost left on the hello benchmark; a hit is a key
/// comparison and one copy.
struct ResponseHeadCache {
    /// Everything the serialized head depends on; the cheap members come first because the
    /// synthesized `==` compares in declaration order.
    struct Key: Equatable {
        var status: Int
        var epochSecond: Int
        var context: HTTP1ResponseContext
        /// The server-computed `content-length` digits, if one is added.
        var contentLength: ArraySlice<UInt8>?
        var headers: PAGIHeaders
    }

    private var key: Key?
    private var bytes: [UInt8] = []
    private var framing: HTTP1ResponseFraming?

    /// The cached head and its framing when `key` equals the last stored key.
    /// - Parameter key: The head about to be written.
    func lookup(_ key: Key) -> (bytes: [UInt8], framing: HTTP1ResponseFraming)? {
        guard let framing = self.framing, self.key == key else { return nil }
        return (self.bytes, framing)
    }

    /// Remembers a freshly serialized head.
    /// - Parameters:
    ///   - bytes: The head's bytes, as the serializer wrote them.
    ///   - framing: The framing the serializer returned.
    ///   - key: What the head was serialized from.
    mutating func store(_ bytes: [UInt8], framing: HTTP1ResponseFraming, for key: Key) {
        self.key = key
        self.bytes = bytes
        self.framing = framing
    }
}

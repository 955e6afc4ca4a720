/// What the framing-relevant header fields of one request said, gathered line by line and turned into
/// ``HTTP1BodyFraming``, keep-alive and the other head flags once the section is complete.
struct HTTP1HeadFacts: Sendable {
    var hostCount = 0
    var contentLength: Int?
    var sawTransferEncoding = false
    /// `chunked` appeared in `Transfer-Encoding` and was the last coding so far.
    var chunkedIsLast = false
    /// `chunked` appeared and another coding (or another `chunked`) followed it.
    var chunkedNotLast = false
    var sawUnknownCoding = false
    var connectionClose = false
    var connectionKeepAlive = false
    var connectionUpgrade = false
    var sawUpgrade = false
    var expectsContinue = false
}

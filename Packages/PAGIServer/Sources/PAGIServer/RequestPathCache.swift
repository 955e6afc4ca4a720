import PAGI

/// The last request path of one connection, raw and decoded, reused while the next request asks
/// for the same path.
///
/// Keep-alive clients usually repeat a path (polling, health checks, load generators). Copying the
/// raw path into an array and percent-decoding it into a `String` cost three allocations per
/// request on the hello benchmark; a hit costs one byte comparison instead.
struct RequestPathCache {
    private var rawPath: [UInt8] = []
    private var path: PAGIPath?

    /// The raw path as an array and its decoded form, from the cache when `rawPath` is the last one.
    /// - Parameter rawPath: The request's path bytes as sent, without the query.
    mutating func lookup(_ rawPath: ArraySlice<UInt8>) -> (rawPath: [UInt8], path: PAGIPath) {
        if let path = self.path, self.rawPath.elementsEqual(rawPath) {
            return (self.rawPath, path)
        }
        let raw = Array(rawPath)
        let path = PAGIPath(decoding: raw)
        self.rawPath = raw
        self.path = path
        return (raw, path)
    }
}

/// zlib refused to set up a compression or decompression stream.
///
/// Peer misbehaviour while inflating is reported as ``WebSocketProtocolError`` instead; this
/// error only means the process could not create the stream (out of memory, or parameters zlib
/// rejects).
public struct PerMessageDeflateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The zlib function that failed.
    public var function: String
    /// The zlib return code.
    public var code: Int32

    /// Creates an error.
    /// - Parameters:
    ///   - function: The zlib function that failed.
    ///   - code: Its return code.
    public init(function: String, code: Int32) {
        self.function = function
        self.code = code
    }

    /// What failed and what to check.
    public var description: String {
        "\(self.function) failed with zlib code \(self.code); check that window bits are 9-15, memory level 1-9 and compression level -1-9, and that the process is not out of memory"
    }
}

import NIOCore
import PAGI

/// Writes the echo contract's JSON object.
enum EchoResponseSerializer {
    /// Serializes one echo response.
    /// - Parameters:
    ///   - request: The request keys of the scope.
    ///   - bodyLength: The number of body bytes received.
    ///   - bodySHA256: The body's 32-byte SHA-256 digest.
    /// - Returns: The JSON document.
    static func serialize(request: PAGIRequestInfo, bodyLength: Int, bodySHA256: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(256 + request.rawPath.count + request.queryString.count + request.headers.count * 48)
        buffer.writeStaticString("{\"method\":")
        JSONStringEscaper.write(utf8: request.method.utf8, to: &buffer)
        buffer.writeStaticString(",\"path\":")
        JSONStringEscaper.write(utf8: request.path.text.utf8, to: &buffer)
        buffer.writeStaticString(",\"raw_path\":")
        JSONStringEscaper.write(bytes: request.rawPath, to: &buffer)
        buffer.writeStaticString(",\"query_string\":")
        JSONStringEscaper.write(bytes: request.queryString, to: &buffer)
        buffer.writeStaticString(",\"http_version\":")
        JSONStringEscaper.write(utf8: request.httpVersion.rawValue.utf8, to: &buffer)
        buffer.writeStaticString(",\"headers\":[")
        for (position, field) in request.headers.enumerated() {
            if position > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString("[")
            JSONStringEscaper.write(bytes: field.nameBytes, to: &buffer)
            buffer.writeStaticString(",")
            JSONStringEscaper.write(bytes: field.valueBytes, to: &buffer)
            buffer.writeStaticString("]")
        }
        buffer.writeStaticString("],\"body_length\":")
        buffer.writeString(String(bodyLength))
        buffer.writeStaticString(",\"body_sha256\":\"")
        buffer.writeString(SHA256.hex(bodySHA256))
        buffer.writeStaticString("\"}")
        return buffer
    }
}

public import NIOCore
public import PAGIHTTP1

/// PAGIHTTP1's serializer writes straight into the `ByteBuffer` that goes to the socket, with no
/// intermediate `[UInt8]`.
extension ByteBuffer: HTTP1ByteSink {
    /// Appends the bytes.
    public mutating func pagiWriteBytes(_ bytes: UnsafeRawBufferPointer) {
        self.writeBytes(bytes)
    }

    /// Makes room for `count` more bytes in one allocation.
    public mutating func pagiReserveCapacity(_ count: Int) {
        self.reserveCapacity(minimumWritableBytes: count)
    }
}

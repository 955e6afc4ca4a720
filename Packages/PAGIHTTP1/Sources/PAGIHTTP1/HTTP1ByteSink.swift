/// Where the response serializer writes: anything that can append bytes.
///
/// `[UInt8]` conforms here. The server conforms SwiftNIO's `ByteBuffer` in its own module, so
/// responses are written straight into the outbound buffer without an intermediate copy. The
/// requirement names carry the `pagi` prefix so they cannot collide with a conforming type's own API.
public protocol HTTP1ByteSink {
    /// Appends `bytes`.
    /// - Parameter bytes: The bytes to append; borrowed for the call only.
    mutating func pagiWriteBytes(_ bytes: UnsafeRawBufferPointer)

    /// Makes room for at least `count` more bytes, so a head is written without regrowing.
    /// - Parameter count: The number of bytes about to be written.
    mutating func pagiReserveCapacity(_ count: Int)
}

extension HTTP1ByteSink {
    /// Does nothing; sinks that can reserve space override it.
    /// - Parameter count: Ignored.
    @inlinable
    public mutating func pagiReserveCapacity(_ count: Int) {}

    /// Appends the bytes of a static string.
    /// - Parameter string: ASCII text known at compile time.
    @inlinable
    public mutating func pagiWriteStaticString(_ string: StaticString) {
        self.pagiWriteBytes(UnsafeRawBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount))
    }

    /// Appends one byte.
    /// - Parameter byte: The byte.
    @inlinable
    public mutating func pagiWriteByte(_ byte: UInt8) {
        withUnsafeBytes(of: byte) { self.pagiWriteBytes($0) }
    }

    /// Appends a collection of bytes, without copying it first when it is contiguous.
    /// - Parameter bytes: The bytes.
    @inlinable
    public mutating func pagiWriteCollection(_ bytes: some Collection<UInt8>) {
        let written: Void? = bytes.withContiguousStorageIfAvailable { self.pagiWriteBytes(UnsafeRawBufferPointer($0)) }
        if written == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { self.pagiWriteBytes($0) }
        }
    }
}

extension Array: HTTP1ByteSink where Element == UInt8 {
    /// Appends `bytes` to the array.
    /// - Parameter bytes: The bytes to append.
    @inlinable
    public mutating func pagiWriteBytes(_ bytes: UnsafeRawBufferPointer) {
        self.append(contentsOf: bytes)
    }

    /// Reserves room for `count` more bytes.
    /// - Parameter count: The number of bytes about to be written.
    @inlinable
    public mutating func pagiReserveCapacity(_ count: Int) {
        self.reserveCapacity(self.count + count)
    }
}

/// The 4-byte key a client XORs over every payload byte it sends
/// ([RFC 6455 §5.3](https://www.rfc-editor.org/rfc/rfc6455#section-5.3)).
///
/// Servers never mask; ``WebSocketFrameParser`` in the server role requires it on every inbound
/// frame. The key is stored as the four wire bytes in order.
public struct WebSocketMaskingKey: Sendable, Hashable {
    /// The key bytes as they appear on the wire, first byte in the most significant position.
    public var rawValue: UInt32

    /// Creates a key from its wire representation (first wire byte most significant).
    /// - Parameter rawValue: The four key bytes, big-endian.
    @inlinable
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Creates a key from four bytes in wire order.
    /// - Parameters:
    ///   - b0: The first key byte on the wire.
    ///   - b1: The second key byte.
    ///   - b2: The third key byte.
    ///   - b3: The fourth key byte.
    @inlinable
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        self.rawValue = UInt32(b0) << 24 | UInt32(b1) << 16 | UInt32(b2) << 8 | UInt32(b3)
    }

    /// Returns the key byte used for the payload byte at `index` (index modulo 4).
    /// - Parameter index: The payload offset.
    @inlinable
    public subscript(index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: self.rawValue >> (24 - 8 * UInt32(index & 3)))
    }
}

extension WebSocketMaskingKey {
    /// XORs `count` bytes from `source` into `destination` with this key, starting at key position
    /// `phase` (the number of payload bytes already processed, modulo 4).
    ///
    /// Masking and unmasking are the same operation. `source` and `destination` may be the same
    /// pointer. Works a machine word at a time: the byte-wise loop costs about 8× more on 64 KiB
    /// frames, which is most of what separates us from NIOWebSocket's unmask.
    ///
    /// - Parameters:
    ///   - source: The bytes to read.
    ///   - destination: Where to write the masked bytes; at least `count` bytes.
    ///   - count: How many bytes to process.
    ///   - phase: The key position of the first byte.
    @usableFromInline
    func apply(
        from source: UnsafeRawPointer,
        to destination: UnsafeMutableRawPointer,
        count: Int,
        phase: Int
    ) {
        var pattern: UInt64 = 0
        withUnsafeMutableBytes(of: &pattern) { bytes in
            for i in 0..<8 { bytes[i] = self[phase + i] }
        }
        var offset = 0
        while offset + 32 <= count {
            for lane in stride(from: offset, to: offset + 32, by: 8) {
                let word = source.loadUnaligned(fromByteOffset: lane, as: UInt64.self)
                destination.storeBytes(of: word ^ pattern, toByteOffset: lane, as: UInt64.self)
            }
            offset += 32
        }
        while offset + 8 <= count {
            let word = source.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            destination.storeBytes(of: word ^ pattern, toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < count {
            let byte = source.load(fromByteOffset: offset, as: UInt8.self)
            destination.storeBytes(of: byte ^ self[phase + offset], toByteOffset: offset, as: UInt8.self)
            offset += 1
        }
    }

    /// Masks (or unmasks) `bytes` in place.
    /// - Parameters:
    ///   - bytes: The payload bytes to transform.
    ///   - phase: The key position of the first byte (payload bytes already processed, modulo 4).
    public func apply(to bytes: inout [UInt8], phase: Int = 0) {
        let count = bytes.count
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            self.apply(from: UnsafeRawPointer(base), to: base, count: count, phase: phase)
        }
    }
}

import NIOCore
import Testing

@testable import PAGITLS

@Suite("SpareBuffer")
struct SpareBufferTests {
    let allocator = ByteBufferAllocator()

    /// The storage identity of a buffer: equal while two buffers share their bytes.
    static func storage(_ buffer: ByteBuffer) -> UnsafeRawPointer? {
        buffer.withUnsafeReadableBytes { $0.baseAddress.map { UnsafeRawPointer($0) } }
    }

    @Test("a buffer its reader released is reused, emptied")
    func reusesReleasedStorage() {
        var spare = SpareBuffer()
        var first = spare.take(minimumCapacity: 64, allocator: self.allocator)
        first.writeString("GET / HTTP/1.1\r\n\r\n")
        let firstStorage = Self.storage(first)
        spare.keep(first)
        first = ByteBuffer()  // the reader is done with it
        var second = spare.take(minimumCapacity: 64, allocator: self.allocator)
        #expect(second.readableBytes == 0)
        second.writeString("x")
        #expect(Self.storage(second) == firstStorage)
    }

    @Test("a buffer still held by its reader is never overwritten")
    func neverOverwritesHeldBytes() {
        var spare = SpareBuffer()
        var handedOn = spare.take(minimumCapacity: 64, allocator: self.allocator)
        handedOn.writeString("still being read")
        spare.keep(handedOn)
        var next = spare.take(minimumCapacity: 64, allocator: self.allocator)
        next.writeString("the next record")
        #expect(handedOn.readString(length: handedOn.readableBytes) == "still being read")
        #expect(Self.storage(next) != Self.storage(handedOn))
    }

    @Test("large buffers are not kept, so an idle connection holds at most the limit")
    func largeBuffersAreDropped() {
        var spare = SpareBuffer()
        var big = self.allocator.buffer(capacity: SpareBuffer.limit * 4)
        big.writeRepeatingByte(0, count: SpareBuffer.limit * 2)
        let bigStorage = Self.storage(big)
        spare.keep(big)
        big = ByteBuffer()
        var next = spare.take(minimumCapacity: 16, allocator: self.allocator)
        next.writeString("x")
        #expect(Self.storage(next) != bigStorage)
        #expect(next.capacity < SpareBuffer.limit * 4)
    }
}

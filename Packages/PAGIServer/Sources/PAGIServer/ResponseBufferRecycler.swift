import NIOCore
import NIOPosix

/// One response buffer per event-loop thread, reused by every connection on that loop.
///
/// A response used to cost a fresh `ByteBuffer` (two allocations: storage object and bytes). The
/// buffer handed to the channel is usually written out and released within the same `flush`, so
/// the next response on this thread finds it uniquely referenced again and `clear(minimumCapacity:)`
/// recycles it without allocating. When the socket could not take everything, the channel still
/// holds the old storage and `clear` allocates a new one — never sharing bytes the channel has yet
/// to write. Kept per thread rather than per connection so that idle connections do not each keep
/// a buffer (the idle-memory budget is 8 KiB per connection).
final class ResponseBufferRecycler {
    // Not `Sendable` because a recycler is not; but each thread only ever sees its own value.
    nonisolated(unsafe) private static let perThread = ThreadSpecificVariable<ResponseBufferRecycler>()

    /// The recycler of the calling thread (an event loop's), created on first use.
    static var current: ResponseBufferRecycler {
        if let recycler = Self.perThread.currentValue {
            return recycler
        }
        let recycler = ResponseBufferRecycler()
        Self.perThread.currentValue = recycler
        return recycler
    }

    private var buffer: ByteBuffer?

    /// An empty buffer of at least `minimumCapacity` bytes: the previous response's storage when
    /// the channel has let go of it.
    func take(minimumCapacity: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        guard var buffer = self.buffer.take() else {
            return allocator.buffer(capacity: minimumCapacity)
        }
        buffer.clear(minimumCapacity: minimumCapacity)
        return buffer
    }

    /// Remembers `buffer`, which is about to be written, for the next ``take(minimumCapacity:allocator:)``.
    func keep(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }
}

@available(*, unavailable)
extension ResponseBufferRecycler: Sendable {}

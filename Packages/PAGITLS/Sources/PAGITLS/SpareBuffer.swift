import NIOCore

/// The buffer a connection used last for one purpose (decrypted input, encrypted output), kept so that
/// the next use can recycle its storage instead of allocating.
///
/// On a keep-alive connection every request used to cost two fresh buffers here (four allocations);
/// a buffer handed on is usually released by its reader before the next one is needed, so
/// `clear(minimumCapacity:)` finds it uniquely referenced and reuses it. When the reader still holds
/// it, `clear` allocates new storage instead — the bytes handed on are never overwritten. Only small
/// buffers are kept, so that an idle connection holds at most ``limit`` bytes per purpose.
struct SpareBuffer {
    /// The largest capacity worth keeping.
    static let limit = 4096

    private var buffer: ByteBuffer?

    /// An empty buffer of at least `minimumCapacity` bytes, recycled when possible.
    mutating func take(minimumCapacity: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        if var spare = self.buffer.take(), minimumCapacity <= Self.limit {
            spare.clear(minimumCapacity: minimumCapacity)
            return spare
        }
        return allocator.buffer(capacity: minimumCapacity)
    }

    /// Keeps `buffer`, about to be handed on, for the next ``take(minimumCapacity:allocator:)`` if it is small.
    mutating func keep(_ buffer: ByteBuffer) {
        self.buffer = buffer.capacity <= Self.limit ? buffer : nil
    }
}

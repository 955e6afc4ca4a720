import NIOCore
import NIOPosix

extension HTTPConnectionHandler {
    /// Sends `count` bytes of `handle` from `offset` as plaintext buffers, for TLS connections, where
    /// `sendfile(2)` cannot be used (every byte must pass through the TLS handler to be encrypted).
    ///
    /// The file is read on NIO's shared thread pool (never on the event loop), one chunk at a time;
    /// the next chunk is read only once the previous one is written, so a slow client holds at most
    /// one chunk in memory. The caller still owns `handle`.
    ///
    /// - Returns: `false` when reading the file or writing to the connection failed.
    nonisolated(nonsending) func writeFileChunks(_ handle: NIOFileHandle, offset: Int64, count: Int, context: ChannelHandlerContext) async -> Bool {
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let done = NonBlockingFileIO(threadPool: .singleton).readChunked(
            fileHandle: handle,
            fromOffset: offset,
            byteCount: count,
            chunkSize: 64 * 1024,
            allocator: context.channel.allocator,
            eventLoop: context.eventLoop
        ) { chunk in
            boundContext.value.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(chunk)))
        }
        let result: Result<Void, any Error> = await withCheckedContinuation { continuation in
            done.whenComplete { continuation.resume(returning: $0) }
        }
        if case .success = result { return true }
        return false
    }
}

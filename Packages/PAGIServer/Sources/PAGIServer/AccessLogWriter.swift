import NIOCore
import NIOPosix
import PAGI
import PAGIAccessLog
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders access-log lines on the event loop and writes them on a background thread.
///
/// A write to a file or a terminal can block (a slow disk, a paused pager); the event loop must
/// never wait for one. Lines are appended to a shared pending buffer; the first line into an empty
/// buffer schedules one flush on the writer thread, which waits ``batchWindow`` (so the lines of
/// the next millisecond join the batch), takes everything pending and writes it with as few
/// `write(2)` calls as possible. Without the wait the writer woke for nearly every request under
/// load: a thread wake-up and a `write(2)` per line.
final class AccessLogWriter: Sendable {
    private let format: AccessLogFormat?
    private let descriptor: CInt
    private let ownsDescriptor: Bool
    private let pending = Mutex<[UInt8]>([])
    /// The writer thread's empty buffer, swapped with `pending` at each flush so that neither side
    /// allocates per flush. Only the (single) writer thread touches it; the lock is uncontended.
    private let spare = Mutex<[UInt8]>([])
    private let pool: NIOThreadPool?

    /// - Throws: ``PAGIServerConfigurationError`` for a bad format, ``PAGIServerError`` when the
    ///   file cannot be opened.
    init(destination: PAGIAccessLogDestination, format: String) throws {
        switch destination {
        case .off:
            self.format = nil
            self.descriptor = -1
            self.ownsDescriptor = false
            self.pool = nil
            return
        case .stderr:
            self.descriptor = 2
            self.ownsDescriptor = false
        case .file(let path):
            let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw PAGIServerError(
                    code: .accessLogUnavailable,
                    message: "cannot open the access log \(path): \(String(cString: strerror(errno))) (check the path and its directory's permissions, or use --access-log -)"
                )
            }
            self.descriptor = descriptor
            self.ownsDescriptor = true
        }
        do {
            self.format = try AccessLogFormat(format)
        } catch {
            if self.ownsDescriptor { Glibc.close(self.descriptor) }
            throw PAGIServerConfigurationError(code: .invalidValue, message: "invalid access log format: \(error)")
        }
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        self.pool = pool
    }

    /// How long a scheduled flush waits for more lines, on the writer thread (never the event
    /// loop). Bounds how stale the file can be while the server runs; ``close()`` flushes at once.
    static let batchWindowMicroseconds: UInt32 = 1_000

    /// Whether lines are written at all; callers skip building entries when not.
    var isEnabled: Bool { self.format != nil }

    /// Renders one line and queues it for writing.
    func log<Headers: AccessLogHeaderLookup>(_ entry: AccessLogEntry<Headers>) {
        guard let format = self.format, let pool = self.pool else { return }
        let wasEmpty: Bool = self.pending.withLock { pending in
            let wasEmpty = pending.isEmpty
            format.render(entry, into: &pending)
            pending.append(UInt8(ascii: "\n"))
            return wasEmpty
        }
        if wasEmpty {
            pool.submit { [self] state in
                // Work still queued when the pool shuts down runs as `.cancelled` on a global queue,
                // concurrently with `close()`: it must not touch the buffers (close flushes them).
                guard state == .active else { return }
                usleep(Self.batchWindowMicroseconds)
                self.flush()
            }
        }
    }

    private func flush() {
        var bytes = self.spare.withLock { spare in
            var taken: [UInt8] = []
            swap(&taken, &spare)
            return taken
        }
        self.pending.withLock { pending in swap(&pending, &bytes) }
        defer {
            // Uniquely owned again: emptied in place, it becomes the next flush's swap partner.
            bytes.removeAll(keepingCapacity: true)
            self.spare.withLock { spare in swap(&spare, &bytes) }
        }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(self.descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// Stops the writer thread, then writes what is pending. Lines logged after this are dropped.
    func close() async {
        guard let pool = self.pool else { return }
        // Shutdown joins the writer thread (a flush in progress finishes first); queued flushes are
        // cancelled and do nothing, so from here on only this call touches the buffers.
        try? await pool.shutdownGracefully()
        self.flush()
        if self.ownsDescriptor {
            Glibc.close(self.descriptor)
        }
    }
}

/// The request headers as the access-log renderer reads them; names are already lower-case.
struct AccessLogHeaders: AccessLogHeaderLookup {
    var headers: PAGIHeaders

    func withFirstValue<Result>(forLowercasedName lowercasedName: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) -> Result) -> Result {
        // In place: a log line looks up a few fields (Referer, User-Agent, …) of every request.
        var result: Result?
        _ = self.headers.containsField { name, value in
            guard name.elementsEqual(lowercasedName) else { return false }
            result = body(value)
            return true
        }
        return result ?? body(nil)
    }
}

/// Wall-clock time for the access log's `%t`.
enum AccessLogClock {
    static func now() -> AccessLogTimestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return AccessLogTimestamp(secondsSinceEpoch: Int64(now.tv_sec), nanoseconds: Int32(now.tv_nsec))
    }
}

internal import CPAGIZlib

/// Owns one heap-allocated `z_stream`; every zlib call in the package goes through this type.
///
/// The stream lives at a fixed address because zlib's internal state points back at it (zlib ≥
/// 1.2.9 rejects a moved stream with Z_STREAM_ERROR), so it can never be a stored struct field.
final class ZlibStream {
    enum Kind {
        case deflate
        case inflate
    }

    let kind: Kind
    private let stream: UnsafeMutablePointer<z_stream>

    /// Sets up a raw (headerless) deflate stream.
    init(deflateLevel level: Int32, windowBits: Int32, memoryLevel: Int32) throws(PerMessageDeflateError) {
        // Initialise zlib before any stored property: a class init that throws after full
        // initialisation still runs deinit, which would free the stream a second time.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = CPAGIZlib_deflateInit2(stream, level, Z_DEFLATED, -windowBits, memoryLevel, Z_DEFAULT_STRATEGY)
        guard status == Z_OK else {
            stream.deallocate()
            throw PerMessageDeflateError(function: "deflateInit2", code: status)
        }
        self.kind = .deflate
        self.stream = stream
    }

    /// Sets up a raw (headerless) inflate stream.
    init(inflateWindowBits windowBits: Int32) throws(PerMessageDeflateError) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = CPAGIZlib_inflateInit2(stream, -windowBits)
        guard status == Z_OK else {
            stream.deallocate()
            throw PerMessageDeflateError(function: "inflateInit2", code: status)
        }
        self.kind = .inflate
        self.stream = stream
    }

    deinit {
        switch self.kind {
        case .deflate: deflateEnd(self.stream)
        case .inflate: inflateEnd(self.stream)
        }
        self.stream.deallocate()
    }

    /// Forgets the sliding window (no context takeover).
    func reset() {
        switch self.kind {
        case .deflate: deflateReset(self.stream)
        case .inflate: inflateReset(self.stream)
        }
    }

    /// Compresses `input` with Z_SYNC_FLUSH and appends the output (ending in 00 00 FF FF).
    func deflateSyncFlush(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) {
        precondition(input.count <= Int(UInt32.max), "PerMessageDeflateCompressor: messages over 4 GiB cannot be compressed in one call")
        let stream = self.stream
        // next_in is declared non-const by the system header; zlib never writes through it.
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        var chunk = Int(deflateBound(stream, uLong(input.count))) + 16
        while true {
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: chunk))
            let left: Int = output.withUnsafeMutableBytes { buffer in
                stream.pointee.next_out = (buffer.baseAddress.map { $0 + start })?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(chunk)
                // Z_SYNC_FLUSH on a valid stream returns Z_OK or Z_BUF_ERROR (no progress possible);
                // neither needs handling beyond the avail_out check below.
                _ = deflate(stream, Z_SYNC_FLUSH)
                return Int(stream.pointee.avail_out)
            }
            output.removeLast(left)
            // Output space left over means the flush completed.
            if left > 0 { break }
            chunk = 4096
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
    }

    /// The outcome of ``inflate(_:appendingTo:limit:)``.
    enum InflateOutcome {
        case ok
        case corrupt
        case overLimit
    }

    /// Inflates all of `input`, appending to `output`, failing once `output` would exceed `limit` bytes.
    func inflate(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], limit: Int) -> InflateOutcome {
        // Inbound frames are bounded by WebSocketLimits.maxFrameSize, far below zlib's 4 GiB avail_in.
        precondition(input.count <= Int(UInt32.max), "PerMessageDeflateDecompressor: a frame over 4 GiB cannot be inflated in one call")
        let stream = self.stream
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        while true {
            // Room for one byte past the limit, so crossing it is detected rather than truncated.
            let room = min(max(input.count * 4, 4096), 1 << 20, limit - output.count + 1)
            guard room > 0 else { return .overLimit }
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: room))
            let (status, left): (Int32, Int) = output.withUnsafeMutableBytes { buffer in
                stream.pointee.next_out = (buffer.baseAddress.map { $0 + start })?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(room)
                let status = CPAGIZlib.inflate(stream, Z_SYNC_FLUSH)
                return (status, Int(stream.pointee.avail_out))
            }
            output.removeLast(left)
            if output.count > limit { return .overLimit }
            switch status {
            case Z_OK:
                if stream.pointee.avail_in == 0 && left > 0 { return .ok }
            case Z_BUF_ERROR:
                // No progress possible: input exhausted (or output full, which the loop retries).
                if stream.pointee.avail_in == 0 { return .ok }
                if left > 0 { return .corrupt }
            case Z_STREAM_END:
                // The peer ended the deflate stream with a final block; a later message starts a
                // new stream, so reset and carry on with any input after it.
                inflateReset(stream)
                if stream.pointee.avail_in == 0 { return .ok }
            default:
                return .corrupt
            }
        }
    }
}

@available(*, unavailable)
extension ZlibStream: Sendable {}

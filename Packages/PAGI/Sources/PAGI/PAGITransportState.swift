import Synchronization

/// `pagi.transport`: a read-only view of a connection's outbound buffer (protocol §9).
///
/// ``bufferedAmount`` is the number of bytes queued for the client but not yet written. A `send`
/// suspends while it is at or above ``highWaterMark`` and resumes once it falls below
/// ``lowWaterMark``. The callbacks are edge-triggered with hysteresis: high-water fires once,
/// then drain fires once, then the cycle re-arms.
///
/// The server reports the buffer with ``update(bufferedAmount:)``; callbacks run on the calling
/// thread, outside any lock, in registration order.
public final class PAGITransportState: Sendable {
    private struct State {
        var buffered = 0
        var aboveHigh = false
        var highCallbacks: [@Sendable () -> Void] = []
        var drainCallbacks: [@Sendable () -> Void] = []
    }

    /// The level at or above which `send` suspends; `nil` when the server applies none.
    public let highWaterMark: Int?
    /// The level the buffer must fall below before suspended sends resume; `nil` when not applicable.
    public let lowWaterMark: Int?
    private let state = Mutex(State())

    /// Creates a transport view.
    /// - Parameters:
    ///   - highWaterMark: Back-pressure start, in bytes (the server's default is 65536).
    ///   - lowWaterMark: Back-pressure release, in bytes (the server's default is 16384).
    public init(highWaterMark: Int?, lowWaterMark: Int?) {
        self.highWaterMark = highWaterMark
        self.lowWaterMark = lowWaterMark
    }

    /// Bytes queued for the client and not yet written; `0` when drained.
    public var bufferedAmount: Int {
        self.state.withLock { $0.buffered }
    }

    /// Registers a callback for the buffer reaching the high-water mark; runs at once if it is there now.
    /// - Parameter callback: Called on each rising edge.
    public func onHighWater(_ callback: @escaping @Sendable () -> Void) {
        let runNow = self.state.withLock {
            $0.highCallbacks.append(callback)
            return $0.aboveHigh
        }
        if runNow { callback() }
    }

    /// Registers a callback for the buffer falling below the low-water mark after having hit the high one.
    /// - Parameter callback: Called on each falling edge.
    public func onDrain(_ callback: @escaping @Sendable () -> Void) {
        self.state.withLock { $0.drainCallbacks.append(callback) }
    }

    /// Reports the current outbound buffer level (server use) and fires edge callbacks.
    /// - Parameter bufferedAmount: Bytes queued and not yet written.
    public func update(bufferedAmount: Int) {
        let callbacks: [@Sendable () -> Void] = self.state.withLock {
            $0.buffered = bufferedAmount
            if !$0.aboveHigh, let high = self.highWaterMark, bufferedAmount >= high {
                $0.aboveHigh = true
                return $0.highCallbacks
            }
            if $0.aboveHigh, bufferedAmount < (self.lowWaterMark ?? self.highWaterMark ?? 0) {
                $0.aboveHigh = false
                return $0.drainCallbacks
            }
            return []
        }
        for callback in callbacks { callback() }
    }
}

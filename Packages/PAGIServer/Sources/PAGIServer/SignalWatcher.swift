import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGTERM/SIGINT into a graceful-shutdown request while the server runs.
///
/// The signals' default actions are ignored while it is installed and restored by ``cancel()``.
/// Only the first signal matters: graceful shutdown is already under way after it, and (as in the
/// reference server) a second Ctrl-C does not force anything.
// @unchecked: both stored arrays are immutable after init, and DispatchSource's `cancel()` is
// documented as safe to call from any thread.
final class SignalWatcher: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let signals: [CInt]

    init(signals: [CInt], onSignal: @escaping @Sendable () -> Void) {
        self.signals = signals
        let queue = DispatchQueue(label: "pagi-server.signals")
        self.sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler(handler: onSignal)
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in self.sources { source.cancel() }
        for number in self.signals { signal(number, SIG_DFL) }
    }
}

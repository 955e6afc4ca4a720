import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Signal handling of a serving process (single-process server or prefork worker), installed by the
/// CLI: each signal is either handled on a dispatch queue or ignored. ``cancel()`` restores the
/// default dispositions.
// @unchecked: both arrays are immutable after init, and DispatchSource's cancel() is thread-safe.
final class ProcessSignals: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let numbers: [CInt]

    /// - Parameters:
    ///   - handlers: The signals to handle and what to do for each.
    ///   - ignored: Signals whose delivery must do nothing at all.
    init(handlers: [(CInt, @Sendable () -> Void)], ignored: [CInt] = []) {
        let queue = DispatchQueue(label: "pagi-server.process-signals")
        self.numbers = handlers.map(\.0) + ignored
        for number in ignored { signal(number, SIG_IGN) }
        self.sources = handlers.map { number, handler in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
        // A launcher (Foundation's Process, a test harness) may hand the signals down blocked.
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in self.numbers { sigaddset(&mask, number) }
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
    }

    func cancel() {
        for source in self.sources { source.cancel() }
        for number in self.numbers { signal(number, SIG_DFL) }
    }
}

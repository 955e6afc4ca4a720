import ArgumentParser
import PAGIPrefork

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A non-negative number of seconds, decimals allowed (`1`, `0.5`).
struct Seconds: ExpressibleByArgument, Sendable {
    var duration: Duration

    init(_ seconds: Double) {
        self.duration = .milliseconds(Int64((seconds * 1000).rounded()))
    }

    init?(argument: String) {
        guard let value = Double(argument), value.isFinite, value >= 0, value < 1e9 else { return nil }
        self.init(value)
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// A signal name (`TERM`, `SIGUSR1`, `hup`) or number, rejected at parse time when unknown.
struct SignalArgument: ExpressibleByArgument, Sendable {
    var signal: PreforkSignal

    init?(argument: String) {
        guard let signal = PreforkSignal(name: argument) else { return nil }
        self.signal = signal
    }

    static var allValueStrings: [String] { PreforkSignal.knownNames }
}

/// The environment fallbacks of the original (ENVDIR, ENABLE_AUTO_RESTART, AUTO_RESTART_INTERVAL, KILL_OLD_DELAY).
struct Environment {
    func nonEmpty(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// Perl truthiness: set, non-empty and not "0".
    func isTrue(_ name: String) -> Bool {
        guard let text = self.nonEmpty(name) else { return false }
        return text != "0"
    }

    func seconds(_ name: String) throws -> Seconds? {
        guard let text = self.nonEmpty(name) else { return nil }
        guard let seconds = Seconds(argument: text) else {
            throw ValidationError("environment variable \(name)='\(text)' is not a number of seconds")
        }
        return seconds
    }
}

import Synchronization

/// The process's (or worker's) current ``TLSContext``, replaceable at run time for certificate renewal.
///
/// New connections take ``current``; ``reload()`` re-reads the configured files (e.g. on `SIGHUP` after a
/// certbot renewal) and swaps the context in only if the new files validate, so a broken renewal keeps the
/// server running on the old certificate and reports why. Connections already open keep the context they
/// started with until they close.
///
/// - Important: ``reload()`` reads files and parses keys: call it from a signal-handling task, not from an
///   event loop.
public final class TLSContextStore: Sendable {
    private let context: Mutex<TLSContext>

    /// Builds the first context.
    ///
    /// - Parameter configuration: The TLS configuration.
    /// - Throws: ``TLSConfigurationError`` naming the file or setting at fault.
    public init(configuration: TLSConfiguration) throws(TLSConfigurationError) {
        self.context = Mutex(try TLSContext(configuration: configuration))
    }

    /// The context for new connections.
    public var current: TLSContext {
        self.context.withLock { $0 }
    }

    /// Re-reads the current configuration's files and, if they are valid, makes them current.
    ///
    /// - Returns: The new context.
    /// - Throws: ``TLSConfigurationError``; the previous context stays current.
    @discardableResult
    public func reload() throws(TLSConfigurationError) -> TLSContext {
        try self.reload(configuration: self.current.configuration)
    }

    /// Builds a context from `configuration` and, if it is valid, makes it current.
    ///
    /// - Parameter configuration: The new configuration.
    /// - Returns: The new context.
    /// - Throws: ``TLSConfigurationError``; the previous context stays current.
    @discardableResult
    public func reload(configuration: TLSConfiguration) throws(TLSConfigurationError) -> TLSContext {
        let replacement = try TLSContext(configuration: configuration)
        self.context.withLock { $0 = replacement }
        return replacement
    }
}

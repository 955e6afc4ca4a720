import Synchronization

/// The `state` map of a request scope: a shallow copy of the lifespan state.
///
/// Copying a dictionary of references gives exactly the protocol's semantics: top-level keys are
/// private to each copy, objects stored as values are shared. Store each shared resource once at
/// startup (a class, an actor, a connection pool) and reach it through the reference.
public typealias PAGIState = [String: any Sendable]

/// The lifespan scope's original `state` namespace (protocol §10.4).
///
/// The lifespan application fills it during startup; the server takes a ``snapshot()`` for every
/// later request scope. A key set after requests started is invisible to scopes created earlier.
public final class PAGILifespanState: Sendable {
    private let storage: Mutex<PAGIState>

    /// Creates a state namespace.
    /// - Parameter initial: Initial keys.
    public init(_ initial: PAGIState = [:]) {
        self.storage = Mutex(initial)
    }

    /// Reads or writes one key.
    public subscript(key: String) -> (any Sendable)? {
        get { self.storage.withLock { $0[key] } }
        set { self.storage.withLock { $0[key] = newValue } }
    }

    /// A shallow copy of the namespace, for a request scope.
    public func snapshot() -> PAGIState {
        self.storage.withLock { $0 }
    }
}

import Synchronization

/// A counter shared by reference through the lifespan state (protocol §10.4).
final class RequestCounter: Sendable {
    private let value = Atomic<Int>(0)

    func next() -> Int {
        self.value.add(1, ordering: .relaxed).newValue
    }
}

import NIOCore
import NIOEmbedded
import Testing

@testable import PAGIServer

@Suite("ConnectionRegistry")
struct ConnectionRegistryTests {
    @Test("capacity: the connection over max_connections is rejected with the count")
    func capacity() throws {
        let registry = ConnectionRegistry(maxConnections: 1)
        let first = EmbeddedChannel()
        let second = EmbeddedChannel()
        #expect(registry.register(first) == .registered(draining: false))
        #expect(registry.register(second) == .rejected(count: 1))
        #expect(registry.count == 1)
        _ = try first.finish()
        #expect(registry.count == 0)
    }

    @Test("every connection is reached by the drain: listed by beginDraining or told at registration")
    func drainReachesLateConnections() throws {
        let registry = ConnectionRegistry(maxConnections: 10)
        let early = EmbeddedChannel()
        #expect(registry.register(early) == .registered(draining: false))
        let listed = registry.beginDraining()
        #expect(listed.count == 1)
        #expect(listed.first === early)
        // Accepted before the listener closed, set up after the drain began.
        let late = EmbeddedChannel()
        #expect(registry.register(late) == .registered(draining: true))
        #expect(registry.count == 2)
        _ = try early.finish()
        _ = try late.finish()
    }
}

import PAGI
import Synchronization
import Testing

/// Records callback invocations in order, from any thread.
final class CallLog: Sendable {
    private let entries = Mutex<[String]>([])
    func append(_ entry: String) { self.entries.withLock { $0.append(entry) } }
    var all: [String] { self.entries.withLock { $0 } }
}

@Suite("PAGIConnectionState")
struct PAGIConnectionStateTests {
    @Test("a new request is open, not started, not complete, without a reason")
    func initial() {
        let state = PAGIConnectionState()
        #expect(state.isConnected)
        #expect(state.disconnectReason == nil)
        #expect(!state.responseStarted)
        #expect(state.responseComplete == false)
    }

    @Test("an abnormal disconnect sets the reason and runs disconnect callbacks in order, never completion ones")
    func disconnect() {
        let state = PAGIConnectionState()
        let log = CallLog()
        state.onDisconnect { log.append("first \($0)") }
        state.onDisconnect { log.append("second \($0)") }
        state.onComplete { log.append("complete") }
        state.markResponseStarted()
        state.markDisconnected(.clientClosed)
        #expect(!state.isConnected)
        #expect(state.disconnectReason == .clientClosed)
        #expect(state.responseStarted)
        #expect(state.responseComplete == false)
        #expect(log.all == ["first client_closed", "second client_closed"])

        // The ending never changes afterwards.
        state.markDisconnected(.serverError)
        state.markResponseComplete()
        #expect(state.disconnectReason == .clientClosed)
        #expect(log.all.count == 2)
    }

    @Test("a successful completion runs completion callbacks and leaves the reason nil")
    func completion() {
        let state = PAGIConnectionState()
        let log = CallLog()
        state.onDisconnect { _ in log.append("disconnect") }
        state.onComplete { log.append("complete 1") }
        state.onComplete { log.append("complete 2") }
        state.markResponseStarted()
        state.markResponseComplete()
        #expect(state.responseComplete == true)
        #expect(state.disconnectReason == nil)
        #expect(!state.isConnected)
        state.markDisconnected(.clientClosed)
        #expect(state.disconnectReason == nil)
        #expect(log.all == ["complete 1", "complete 2"])
    }

    @Test("registering after the ending runs the matching callback immediately")
    func lateRegistration() {
        let disconnected = PAGIConnectionState()
        disconnected.markDisconnected(.idleTimeout)
        let log = CallLog()
        disconnected.onDisconnect { log.append("late \($0)") }
        disconnected.onComplete { log.append("never") }
        let completed = PAGIConnectionState()
        completed.markResponseComplete()
        completed.onComplete { log.append("late complete") }
        completed.onDisconnect { _ in log.append("never") }
        #expect(log.all == ["late idle_timeout", "late complete"])
    }

    @Test("disconnected() returns the reason to a waiting task and to a late caller")
    func disconnectedWaiter() async throws {
        let state = PAGIConnectionState()
        let waiter = Task { try await state.disconnected() }
        // Whether the waiter suspended before this call or arrives after it, it gets the reason.
        state.markDisconnected(.writeError)
        #expect(try await waiter.value == .writeError)
        #expect(try await state.disconnected() == .writeError)
    }

    @Test("a waiter is released by cancellation")
    func cancelledWaiter() async {
        let state = PAGIConnectionState()
        let task = Task { try await state.disconnected() }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        state.markResponseComplete()
    }
}

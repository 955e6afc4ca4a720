import Testing

@testable import PAGIServer

@Suite("HTTPResponseStateMachine")
struct HTTPResponseStateMachineTests {
    @Test("start, parts, final body completes the response")
    func streamingResponse() {
        var machine = HTTPResponseStateMachine()
        #expect(!machine.hasStarted)
        #expect(machine.start(trailers: false) == .writeHead)
        #expect(machine.hasStarted)
        #expect(machine.body(final: false) == .writePart)
        #expect(machine.body(final: false) == .writePart)
        #expect(!machine.isComplete)
        #expect(machine.body(final: true) == .writeFinal)
        #expect(machine.isComplete)
    }

    @Test("announced trailers: the final body waits for them, trailers complete")
    func trailers() {
        var machine = HTTPResponseStateMachine()
        _ = machine.start(trailers: true)
        #expect(machine.trailers() == .reject("http.response.trailers before the final http.response.body (more: false)"))
        #expect(machine.body(final: true) == .writeFinalAwaitTrailers)
        #expect(!machine.isComplete)
        guard case .reject = machine.body(final: true) else {
            Issue.record("a body after the final body must be refused")
            return
        }
        #expect(machine.trailers() == .writeTrailersAndComplete)
        #expect(machine.isComplete)
    }

    @Test("body before start, second start, trailers without announcement are refused")
    func outOfOrder() {
        var machine = HTTPResponseStateMachine()
        guard case .reject = machine.body(final: true) else {
            Issue.record("body before start must be refused")
            return
        }
        guard case .reject = machine.trailers() else {
            Issue.record("trailers before start must be refused")
            return
        }
        _ = machine.start(trailers: false)
        guard case .reject = machine.start(trailers: false) else {
            Issue.record("a second start must be refused")
            return
        }
        guard case .reject = machine.trailers() else {
            Issue.record("unannounced trailers must be refused")
            return
        }
        _ = machine.body(final: true)
        guard case .reject = machine.body(final: false) else {
            Issue.record("a body after completion must be refused")
            return
        }
    }

    @Test("after the connection closed every send is a silent no-op")
    func closed() {
        var machine = HTTPResponseStateMachine()
        _ = machine.start(trailers: true)
        machine.connectionClosed()
        #expect(machine.start(trailers: false) == .dropSilently)
        #expect(machine.body(final: true) == .dropSilently)
        #expect(machine.trailers() == .dropSilently)
        #expect(!machine.isComplete)
    }
}

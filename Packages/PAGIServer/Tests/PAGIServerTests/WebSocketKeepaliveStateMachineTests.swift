import Testing

@testable import PAGIServer

@Suite("WebSocketKeepaliveStateMachine")
struct WebSocketKeepaliveStateMachineTests {
    @Test("pings every interval; without a timeout there is no dead-peer detection")
    func pingsOnly() {
        var machine = WebSocketKeepaliveStateMachine()
        #expect(machine.configure(interval: 20, timeout: nil) == .reschedule(pingAfter: .seconds(20), generation: 1))
        #expect(machine.pingTimerFired(generation: 1) == .sendPing(nextPingAfter: .seconds(20), pongTimeout: nil, generation: 1))
        #expect(machine.pongTimerFired(generation: 1) == .none)
        #expect(machine.pongReceived() == .none)
    }

    @Test("a PONG in time cancels the pong timer")
    func pongInTime() {
        var machine = WebSocketKeepaliveStateMachine()
        _ = machine.configure(interval: 1.5, timeout: 0.5)
        #expect(machine.pingTimerFired(generation: 1) == .sendPing(nextPingAfter: .milliseconds(1500), pongTimeout: .milliseconds(500), generation: 1))
        #expect(machine.pongReceived() == .cancelPongTimer)
        #expect(machine.pongTimerFired(generation: 1) == .none)
    }

    @Test("no PONG before the timeout closes with keepalive_timeout")
    func pongMissing() {
        var machine = WebSocketKeepaliveStateMachine()
        _ = machine.configure(interval: 1, timeout: 1)
        _ = machine.pingTimerFired(generation: 1)
        #expect(machine.pongTimerFired(generation: 1) == .closeForKeepaliveTimeout)
        #expect(machine.pongTimerFired(generation: 1) == .none)
    }

    @Test("interval 0 stops pinging; a timeout of 0 means none")
    func stop() {
        var machine = WebSocketKeepaliveStateMachine()
        _ = machine.configure(interval: 1, timeout: 1)
        #expect(machine.configure(interval: 0, timeout: 1) == .reschedule(pingAfter: nil, generation: 2))
        #expect(machine.pingTimerFired(generation: 2) == .none)
        #expect(machine.configure(interval: 1, timeout: 0) == .reschedule(pingAfter: .seconds(1), generation: 3))
        #expect(machine.pingTimerFired(generation: 3) == .sendPing(nextPingAfter: .seconds(1), pongTimeout: nil, generation: 3))
    }

    @Test("timers of an older setting are ignored (last keepalive wins)")
    func staleTimers() {
        var machine = WebSocketKeepaliveStateMachine()
        _ = machine.configure(interval: 1, timeout: 1)
        _ = machine.pingTimerFired(generation: 1)
        _ = machine.configure(interval: 5, timeout: 1)
        #expect(machine.pongTimerFired(generation: 1) == .none, "the old pong wait died with its setting")
        #expect(machine.pingTimerFired(generation: 1) == .none)
        #expect(machine.pingTimerFired(generation: 2) == .sendPing(nextPingAfter: .seconds(5), pongTimeout: .seconds(1), generation: 2))
    }

    @Test("a timeout longer than the interval keeps the first PONG deadline")
    func longTimeout() {
        var machine = WebSocketKeepaliveStateMachine()
        _ = machine.configure(interval: 1, timeout: 3)
        #expect(machine.pingTimerFired(generation: 1) == .sendPing(nextPingAfter: .seconds(1), pongTimeout: .seconds(3), generation: 1))
        #expect(machine.pingTimerFired(generation: 1) == .sendPing(nextPingAfter: .seconds(1), pongTimeout: nil, generation: 1))
        #expect(machine.pongTimerFired(generation: 1) == .closeForKeepaliveTimeout)
    }
}

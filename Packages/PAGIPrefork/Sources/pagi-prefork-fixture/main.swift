// A minimal HTTP/1.0-style server for interop tests: it takes its listener from the environment through
// PAGIFDInheritance (SERVER_STARTER_PORT, as Perl's start_server and ours set it), answers every request with
// `200 generation N` and `Connection: close`, and on SIGTERM finishes the connection in hand and exits 0.
// It never binds: the point is to prove a Swift child works under the original start_server.

import Glibc
import PAGIFDInheritance

nonisolated(unsafe) var fixtureStopRequested: sig_atomic_t = 0

func fixtureLog(_ line: String) {
    let bytes = Array("pagi-prefork-fixture[\(getpid())]: \(line)\n".utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
        if written > 0 { offset += written } else if written == -1 && errno == EINTR { continue } else { return }
    }
}

/// Reads until the end of the request head (a body is not expected: the tests send GET).
func readRequestHead(_ descriptor: Int32) -> Bool {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    let terminator: [UInt8] = [13, 10, 13, 10]
    while received.count < 65536 {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            received += buffer[0..<count]
            if received.count >= 4, received.indices.dropLast(3).contains(where: { Array(received[$0..<$0 + 4]) == terminator }) {
                return true
            }
        } else if count == -1 && errno == EINTR {
            continue
        } else {
            return false
        }
    }
    return false
}

let listeners: [InheritedListener]
do {
    listeners = try InheritedListenerDiscovery.discoverInProcessEnvironment(sources: [.serverStarter, .pagiReuse])
} catch {
    fixtureLog("cannot take the inherited listeners: \(error)")
    exit(2)
}
guard let listener = listeners.first else {
    fixtureLog("no listener in SERVER_STARTER_PORT; run me under start_server")
    exit(2)
}

// No SA_RESTART: SIGTERM must interrupt a blocked accept so the loop sees the stop request.
var action = sigaction()
action.__sigaction_handler.sa_handler = { _ in fixtureStopRequested = 1 }
sigemptyset(&action.sa_mask)
action.sa_flags = 0
sigaction(SIGTERM, &action, nil)
// Perl's start_server passes on whatever signal mask it was started with; make sure SIGTERM can arrive.
var termOnly = sigset_t()
sigemptyset(&termOnly)
sigaddset(&termOnly, SIGTERM)
sigprocmask(SIG_UNBLOCK, &termOnly, nil)
signal(SIGPIPE, SIG_IGN)

let generation = getenv("SERVER_STARTER_GENERATION").map { String(cString: $0) } ?? "?"
let body = "generation \(generation)\n"
let response = Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
fixtureLog("serving \(listener.address) as generation \(generation)")

while fixtureStopRequested == 0 {
    let connection = accept(listener.descriptor, nil, nil)
    guard connection >= 0 else { continue }
    if readRequestHead(connection) { writeAll(connection, response) }
    close(connection)
}
fixtureLog("stopping on SIGTERM")
exit(0)

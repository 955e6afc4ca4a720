#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import PAGI
import Synchronization
import Testing

@testable import PAGIApps

/// Builds an http scope the way a server would from a request line and headers.
func makeScope(
    method: String = "GET",
    rawPath: String = "/",
    query: String = "",
    headers: [(String, String)] = [],
    version: PAGIHTTPVersion = .http1_1
) -> PAGIScope {
    makeScope(method: method, rawPathBytes: Array(rawPath.utf8), query: Array(query.utf8), headers: PAGIHeaders(headers), version: version)
}

func makeScope(method: String, rawPathBytes: [UInt8], query: [UInt8] = [], headers: PAGIHeaders = [], version: PAGIHTTPVersion = .http1_1)
    -> PAGIScope
{
    .http(
        HTTPScope(
            request: PAGIRequestInfo(
                httpVersion: version,
                method: method,
                scheme: "http",
                path: PAGIPath(decoding: rawPathBytes),
                rawPath: rawPathBytes,
                queryString: query,
                headers: headers
            )
        )
    )
}

/// A fake server side: feeds scripted inbound events, records outbound ones.
final class FakeConnection: Sendable {
    private let inbound: Mutex<[PAGIInboundEvent]>
    private let outbound = Mutex<[PAGIOutboundEvent]>([])
    private let scopeType: PAGIScopeType
    private let extensions: PAGIExtensions

    /// - Parameters:
    ///   - inbound: Events `receive` returns in order; afterwards it returns `http.disconnect`.
    ///   - scopeType: The scope whose event rules `send` enforces.
    ///   - extensions: The extensions the scope advertises.
    init(inbound: [PAGIInboundEvent] = [.emptyHTTPRequest], scopeType: PAGIScopeType = .http, extensions: PAGIExtensions = PAGIExtensions()) {
        self.inbound = Mutex(inbound)
        self.scopeType = scopeType
        self.extensions = extensions
    }

    var receive: PAGIReceive {
        {
            self.inbound.withLock { events in events.isEmpty ? .httpDisconnect : events.removeFirst() }
        }
    }

    var send: PAGISend {
        { event in
            // What every server does on send: refuse events that break the protocol's rules.
            try event.validate(for: self.scopeType, extensions: self.extensions)
            self.outbound.withLock { $0.append(event) }
        }
    }

    var sent: [PAGIOutboundEvent] { self.outbound.withLock { $0 } }
    var unreadInbound: Int { self.inbound.withLock { $0.count } }
}

/// A response reassembled from the events an app sent.
struct RecordedResponse: Sendable {
    var status: Int
    var headers: PAGIHeaders
    /// The concatenated inline body bytes.
    var body: [UInt8]
    /// The file body, when the app sent one.
    var file: PAGIResponseBody?

    var text: String { String(decoding: self.body, as: UTF8.self) }
    func header(_ name: String) -> String? { self.headers.first(name: name) }
}

/// Runs an app against a fake connection and checks the event sequence is one well-formed response.
func respond(_ app: PAGIApp, _ scope: PAGIScope, inbound: [PAGIInboundEvent] = [.emptyHTTPRequest]) async throws -> RecordedResponse {
    let connection = FakeConnection(inbound: inbound)
    try await app(scope, connection.receive, connection.send)
    let events = connection.sent
    guard case .httpResponseStart(let status, let headers, let trailers)? = events.first else {
        Issue.record("the app did not start with http.response.start: \(events)")
        return RecordedResponse(status: 0, headers: [], body: [])
    }
    #expect(trailers == false)
    var response = RecordedResponse(status: status, headers: headers, body: [])
    for (index, event) in events.dropFirst().enumerated() {
        guard case .httpResponseBody(let body, let more) = event else {
            Issue.record("unexpected event after the start: \(event)")
            continue
        }
        let isLast = index == events.count - 2
        switch body {
        case .bytes(let buffer):
            response.body += buffer.readableBytesView
            #expect(more == !isLast, "only the last body event may have more == false")
        case .file, .fileDescriptor:
            response.file = body
            #expect(isLast, "a file body completes the response")
        }
    }
    #expect(events.count >= 2, "the response was never completed")
    return response
}

/// A scratch directory tree for the static-files tests, removed on deinit.
final class TemporaryTree: Sendable {
    let path: String

    init() throws {
        var template = Array("/tmp/pagiapps-test-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let result = mkdtemp(base) else { return nil }
            return String(cString: result)
        }
        guard let created else { throw TreeError(operation: "mkdtemp", path: "/tmp") }
        self.path = created
    }

    deinit {
        _ = Self.remove(self.path)
    }

    /// Writes a file (parents must exist) and optionally sets its modification time.
    func write(_ relative: String, _ contents: [UInt8], modified: Int? = nil) throws {
        let full = self.path + "/" + relative
        let descriptor = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw TreeError(operation: "open", path: full) }
        defer { close(descriptor) }
        let written = contents.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == contents.count else { throw TreeError(operation: "write", path: full) }
        if let modified {
            var times = [timeval(tv_sec: modified, tv_usec: 0), timeval(tv_sec: modified, tv_usec: 0)]
            guard utimes(full, &times) == 0 else { throw TreeError(operation: "utimes", path: full) }
        }
    }

    func write(_ relative: String, _ text: String, modified: Int? = nil) throws {
        try self.write(relative, Array(text.utf8), modified: modified)
    }

    func makeDirectory(_ relative: String) throws {
        guard mkdir(self.path + "/" + relative, 0o755) == 0 else { throw TreeError(operation: "mkdir", path: relative) }
    }

    func symlink(_ relative: String, to target: String) throws {
        guard Glibc.symlink(target, self.path + "/" + relative) == 0 else { throw TreeError(operation: "symlink", path: relative) }
    }

    func makeFIFO(_ relative: String) throws {
        guard mkfifo(self.path + "/" + relative, 0o644) == 0 else { throw TreeError(operation: "mkfifo", path: relative) }
    }

    func chmod(_ relative: String, _ mode: mode_t) throws {
        guard Glibc.chmod(self.path + "/" + relative, mode) == 0 else { throw TreeError(operation: "chmod", path: relative) }
    }

    /// The real path of an entry, as the app resolves it.
    func real(_ relative: String) -> String {
        guard let resolved = realpath(self.path + "/" + relative, nil) else { return "" }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Creates an empty file whose name is raw bytes (possibly not UTF-8) in the root.
    func writeRawName(_ name: [UInt8]) throws {
        let descriptor = Self.withCPath(Array(self.path.utf8) + [UInt8(ascii: "/")] + name) { open($0, O_WRONLY | O_CREAT, 0o644) }
        guard descriptor >= 0 else { throw TreeError(operation: "open", path: "raw name") }
        close(descriptor)
    }

    private static func withCPath<T>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        (bytes + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress.unsafelyUnwrapped) }
        }
    }

    private static func remove(_ path: String) -> Bool {
        self.remove(bytes: Array(path.utf8))
    }

    private static func remove(bytes path: [UInt8]) -> Bool {
        var info = stat()
        guard Self.withCPath(path, { lstat($0, &info) }) == 0 else { return false }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            return Self.withCPath(path) { unlink($0) } == 0
        }
        guard let directory = Self.withCPath(path, { opendir($0) }) else { return false }
        var children: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            children.append(name)
        }
        closedir(directory)
        for child in children {
            _ = Self.remove(bytes: path + [UInt8(ascii: "/")] + child)
        }
        return Self.withCPath(path) { rmdir($0) } == 0
    }
}

struct TreeError: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var description: String { "\(self.operation) failed for \(self.path): errno \(errno)" }
}

/// A fake server side for long-lived scopes: `receive` suspends until an event is pushed, and
/// `react` may push events in answer to what the app sends (e.g. a disconnect after three ticks).
final class LiveConnection: Sendable {
    private struct Inbox {
        var queue: [PAGIInboundEvent] = []
        var waiter: CheckedContinuation<PAGIInboundEvent, Never>?
    }

    private let inbox = Mutex(Inbox())
    private let outbound = Mutex<[PAGIOutboundEvent]>([])
    private let scopeType: PAGIScopeType
    private let react: @Sendable (_ sent: [PAGIOutboundEvent]) -> [PAGIInboundEvent]
    /// What `receive` returns when its task is cancelled, so a cancelled app never hangs a test.
    private let onCancel: PAGIInboundEvent

    init(
        scopeType: PAGIScopeType,
        inbound: [PAGIInboundEvent] = [],
        onCancel: PAGIInboundEvent = .sseDisconnect(reason: .clientClosed),
        react: @escaping @Sendable (_ sent: [PAGIOutboundEvent]) -> [PAGIInboundEvent] = { _ in [] }
    ) {
        self.scopeType = scopeType
        self.react = react
        self.onCancel = onCancel
        for event in inbound { self.push(event) }
    }

    func push(_ event: PAGIInboundEvent) {
        let waiter = self.inbox.withLock { inbox -> CheckedContinuation<PAGIInboundEvent, Never>? in
            guard let waiter = inbox.waiter else {
                inbox.queue.append(event)
                return nil
            }
            inbox.waiter = nil
            return waiter
        }
        waiter?.resume(returning: event)
    }

    var receive: PAGIReceive {
        {
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let ready = self.inbox.withLock { inbox -> PAGIInboundEvent? in
                        guard inbox.queue.isEmpty else { return inbox.queue.removeFirst() }
                        inbox.waiter = continuation
                        return nil
                    }
                    if let ready { continuation.resume(returning: ready) }
                }
            } onCancel: {
                self.push(self.onCancel)
            }
        }
    }

    var send: PAGISend {
        { event in
            try event.validate(for: self.scopeType, extensions: PAGIExtensions())
            let sent = self.outbound.withLock { events in
                events.append(event)
                return events
            }
            for answer in self.react(sent) { self.push(answer) }
        }
    }

    var sent: [PAGIOutboundEvent] { self.outbound.withLock { $0 } }
}

/// A clock for pacing tests: `sleep` returns at once (after a yield) but moves `now` to the
/// deadline and records it, so tests see the schedule without waiting for it.
final class TestClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: self.offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - self.offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let state = Mutex<(now: Instant, deadlines: [Duration])>((Instant(offset: .zero), []))

    var now: Instant { self.state.withLock { $0.now } }
    var minimumResolution: Duration { .nanoseconds(1) }
    /// Every deadline `sleep` was asked for, as offsets from the clock's start.
    var deadlines: [Duration] { self.state.withLock { $0.deadlines } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        self.state.withLock { state in
            state.deadlines.append(deadline.offset)
            if state.now < deadline { state.now = deadline }
        }
        await Task.yield()
        try Task.checkCancellation()
    }

    func advance(by duration: Duration) {
        self.state.withLock { $0.now = $0.now.advanced(by: duration) }
    }
}

/// Builds a websocket or sse scope for `path` with `headers`.
func makeScope(_ type: PAGIScopeType, path: String, headers: [(String, String)] = []) -> PAGIScope {
    let request = PAGIRequestInfo(
        httpVersion: .http1_1,
        method: "GET",
        scheme: type == .websocket ? "ws" : "http",
        path: PAGIPath(path),
        rawPath: Array(path.utf8),
        queryString: [],
        headers: PAGIHeaders(headers)
    )
    switch type {
    case .websocket: return .websocket(WebSocketScope(request: request))
    case .sse: return .sse(SSEScope(request: request))
    default: return .http(HTTPScope(request: request))
    }
}

/// The `sse.send` messages among `events`.
func sseMessages(_ events: [PAGIOutboundEvent]) -> [PAGISSEMessage] {
    events.compactMap { event in
        guard case .sseSend(let message) = event else { return nil }
        return message
    }
}

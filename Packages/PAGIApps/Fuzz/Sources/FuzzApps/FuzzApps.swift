// One fuzz input = one request to a built-in app. Byte 0 picks the app (even: static, odd: echo);
// the rest is split on LF into fields:
//   static: method, raw path, Range, If-Range, If-None-Match, If-Modified-Since
//   echo:   raw path, query, then header name/value pairs; the last field is the body
// Invariants checked (a violation traps, which libFuzzer reports as a crash):
//   static — only the documented statuses; a file body always lies under the root and inside the
//            file; 206 carries a Content-Range that matches the body; 304/416 never send the file.
//   echo   — the JSON is valid UTF-8, starts with {"method": and reports the true body length.

import Dispatch
import NIOCore
import PAGI
import PAGIApps
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The served tree, created once per fuzzing process.
enum Fixture {
    static let fileSize: Int64 = 1000

    static let root: String = {
        // Under $TMPDIR so Scripts/fuzz/apps.sh can remove it with the rest of its work folder.
        let temporary = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(temporary)/pagiapps-fuzz-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { buffer -> String in
            guard let base = buffer.baseAddress, let made = mkdtemp(base) else { fatalError("mkdtemp failed: errno \(errno)") }
            return String(cString: made)
        }
        mkdir(directory + "/site", 0o755)
        mkdir(directory + "/site/dir", 0o755)
        Self.write(directory + "/site/file.txt", count: Int(Self.fileSize))
        Self.write(directory + "/site/dir/index.html", count: 10)
        Self.write(directory + "/outside.txt", count: 10)
        symlink("../outside.txt", directory + "/site/out.txt")
        symlink("file.txt", directory + "/site/in.txt")
        return directory + "/site"
    }()

    static let app: PAGIApp = {
        do {
            return try PAGIApps.staticFiles(PAGIStaticFilesConfiguration(root: Self.root))
        } catch {
            fatalError("fixture root unusable: \(error)")
        }
    }()

    private static func write(_ path: String, count: Int) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: count)
        _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }
}

/// Runs an app against a scripted connection and returns what it sent.
func run(_ app: @escaping PAGIApp, _ scope: PAGIScope, body: [UInt8]) -> [PAGIOutboundEvent] {
    let sent = Mutex<[PAGIOutboundEvent]>([])
    let delivered = Mutex(false)
    let done = DispatchSemaphore(value: 0)
    let receive: PAGIReceive = {
        delivered.withLock { wasDelivered in
            defer { wasDelivered = true }
            return wasDelivered ? .httpDisconnect : .httpRequest(body: ByteBuffer(bytes: body), more: false)
        }
    }
    let send: PAGISend = { event in
        try event.validate(for: .http, extensions: PAGIExtensions())
        sent.withLock { $0.append(event) }
    }
    Task {
        do {
            try await app(scope, receive, send)
        } catch {
            fatalError("the app threw on an http scope: \(error)")
        }
        done.signal()
    }
    done.wait()
    return sent.withLock { $0 }
}

func scope(method: String, rawPath: [UInt8], query: [UInt8], headers: PAGIHeaders) -> PAGIScope {
    .http(
        HTTPScope(
            request: PAGIRequestInfo(
                method: method,
                scheme: "http",
                path: PAGIPath(decoding: rawPath),
                rawPath: rawPath,
                queryString: query,
                headers: headers
            )
        )
    )
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

func fuzzStatic(_ fields: [ArraySlice<UInt8>]) {
    func field(_ index: Int) -> [UInt8]? { index < fields.count ? Array(fields[index]) : nil }
    let method = field(0).map { String(decoding: $0, as: UTF8.self) } ?? "GET"
    let rawPath = field(1) ?? [UInt8(ascii: "/")]
    var headers = PAGIHeaders()
    for (index, name) in ["range", "if-range", "if-none-match", "if-modified-since"].enumerated() {
        if let value = field(2 + index), !value.isEmpty {
            headers.add(nameBytes: Array(name.utf8), valueBytes: value)
        }
    }
    let events = run(Fixture.app, scope(method: method, rawPath: rawPath, query: [], headers: headers), body: [])
    guard case .httpResponseStart(let status, let responseHeaders, _)? = events.first else {
        fatalError("no response start: \(events)")
    }
    check([200, 206, 301, 304, 400, 403, 404, 405, 416].contains(status), "unexpected status \(status)")
    check(events.count == 2, "expected start + one body, got \(events)")
    guard case .httpResponseBody(let body, _) = events[1] else { fatalError("second event is not a body: \(events)") }
    switch body {
    case .file(let path, let offset, let length):
        check([200, 206].contains(status), "file body with status \(status)")
        check(path.hasPrefix(Fixture.root + "/"), "file outside the root: \(path)")
        let length = length ?? -1
        check(offset >= 0 && length > 0, "bad range \(offset)+\(length)")
        if path.hasSuffix("/file.txt") {
            check(offset + length <= Fixture.fileSize, "range past the end: \(offset)+\(length)")
        }
        if status == 206 {
            let expected = "bytes \(offset)-\(offset + length - 1)/"
            check(responseHeaders.first(name: "content-range")?.hasPrefix(expected) == true, "Content-Range does not match the body")
        }
        check(responseHeaders.first(name: "content-length") == String(length), "Content-Length does not match the body")
    case .bytes, .fileDescriptor:
        check(status != 206, "206 without a file body")
    }
}

func fuzzEcho(_ fields: [ArraySlice<UInt8>]) {
    guard fields.count >= 3 else { return }
    let rawPath = Array(fields[0])
    let query = Array(fields[1])
    let body = Array(fields[fields.count - 1])
    var headers = PAGIHeaders()
    var index = 2
    while index + 1 < fields.count - 1 {
        headers.add(nameBytes: Array(fields[index]), valueBytes: Array(fields[index + 1]))
        index += 2
    }
    let events = run(PAGIApps.echo, scope(method: "POST", rawPath: rawPath, query: query, headers: headers), body: body)
    guard events.count == 2, case .httpResponseBody(.bytes(let json), _) = events[1] else {
        fatalError("echo did not answer with one inline body: \(events)")
    }
    let bytes = Array(json.readableBytesView)
    check(String(validating: bytes, as: UTF8.self) != nil, "echo JSON is not valid UTF-8")
    check(bytes.starts(with: Array(#"{"method":"POST","path":"#.utf8)), "echo JSON does not start with the method")
    let text = String(decoding: bytes, as: UTF8.self)
    check(text.contains(#","body_length":\#(body.count),"body_sha256":""#), "echo reports a wrong body length")
    check(!bytes.contains(where: { $0 < 0x20 }), "echo JSON contains a raw control character")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let fields = input.dropFirst().split(separator: 0x0A, omittingEmptySubsequences: false)
    if input[0] % 2 == 0 {
        fuzzStatic(Array(fields))
    } else {
        fuzzEcho(Array(fields))
    }
    return 0
}

/// libFuzzer's entry point for programs that own `main` (LLVM ≥ 11).
@_silgen_name("LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM gives the executable its own entry point, so libFuzzer's `main` never runs; hand control
/// to libFuzzer's driver explicitly.
@main
enum FuzzAppsEntry {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(llvmFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}

// Fuzz target: byte 0 picks the configuration, the rest is inbound wire data.
//
// Checked on every input (a failed check crashes, which libFuzzer records):
// - no crash, no sanitizer report, memory bounded by the small limits below;
// - split invariance: the events for the input fed whole equal those for it fed in chunks;
// - every delivered message survives a serialize → parse round trip unchanged;
// - WebSocketUTF8Validator agrees with the standard library's UTF-8 validation, whole and split.
import PAGIWebSocket

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte 0: bit 0 permessage-deflate, bit 1 client_no_context_takeover, bit 2 client role,
/// bits 3–7 the chunk size (1–32) for the split run.
private struct FuzzConfiguration {
    var deflate: PerMessageDeflateParameters?
    var role: WebSocketRole
    var chunk: Int

    init(_ flags: UInt8) {
        self.deflate = flags & 1 != 0 ? PerMessageDeflateParameters(clientNoContextTakeover: flags & 2 != 0) : nil
        self.role = flags & 4 != 0 ? .client : .server
        self.chunk = Int(flags >> 3) + 1
    }
}

/// Small limits keep memory bounded however the input declares its lengths.
private let limits = WebSocketLimits(maxFrameSize: 4096, maxMessageSize: 65_536)

private func events(_ input: UnsafeRawBufferPointer, _ configuration: FuzzConfiguration, chunk: Int) -> [WebSocketInboundEvent] {
    var reader: WebSocketReader
    do {
        reader = try WebSocketReader(role: configuration.role, limits: limits, deflate: configuration.deflate)
    } catch {
        preconditionFailure("zlib could not create a stream: \(error)")
    }
    var result: [WebSocketInboundEvent] = []
    var start = 0
    while start < input.count {
        let end = min(start + chunk, input.count)
        let read = UnsafeRawBufferPointer(rebasing: input[start..<end])
        var offset = 0
        while offset < read.count {
            let (consumed, event) = reader.read(UnsafeRawBufferPointer(rebasing: read[offset...]))
            offset += consumed
            if event == .needMoreData { break }
            result.append(event)
            if case .protocolError = event { return result }
        }
        start = end
    }
    return result
}

private func checkRoundTrip(_ message: WebSocketMessage) {
    var wire: [UInt8] = []
    WebSocketFrameSerializer(maxFramePayload: 1000).writeMessage(message, maskingKey: WebSocketMaskingKey(1, 2, 3, 4), into: &wire)
    let back = wire.withUnsafeBytes { events($0, FuzzConfiguration(0), chunk: Int.max) }
    precondition(back == [.message(message)], "round trip changed \(message) into \(back)")
}

private func checkUTF8(_ input: UnsafeRawBufferPointer, chunk: Int) {
    let expected = String(validating: input, as: UTF8.self) != nil
    var whole = WebSocketUTF8Validator()
    let wholeVerdict = whole.consume(input) && whole.isAtCharacterBoundary
    precondition(wholeVerdict == expected, "UTF-8 validator says \(wholeVerdict), stdlib says \(expected)")
    var split = WebSocketUTF8Validator()
    var valid = true
    var start = 0
    while valid && start < input.count {
        let end = min(start + chunk, input.count)
        valid = split.consume(UnsafeRawBufferPointer(rebasing: input[start..<end]))
        start = end
    }
    precondition((valid && split.isAtCharacterBoundary) == expected, "split UTF-8 verdict differs")
}

/// One fuzz iteration (also exported under libFuzzer's conventional name).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let flags = bytes.first else { return 0 }
    let body = UnsafeRawBufferPointer(rebasing: bytes[1...])
    let configuration = FuzzConfiguration(flags)

    let whole = events(body, configuration, chunk: Int.max)
    let split = events(body, configuration, chunk: configuration.chunk)
    precondition(whole == split, "split run differs: \(whole) vs \(split)")
    for case .message(let message) in whole { checkRoundTrip(message) }

    checkUTF8(body, chunk: configuration.chunk)
    _ = WebSocketExtensionOffer.parseList(String(decoding: body, as: UTF8.self))
    return 0
}

/// libFuzzer's driver, for programs that own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links its own entry point for an executable, so libFuzzer's `main` is never used; start
/// the driver from ours.
@main
enum FuzzWebSocketEntry {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(llvmFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}

// The fuzz target: the first input byte picks options (bare-LF leniency, small limits, a split
// pattern); the rest is parsed twice — whole, and cut into pieces — and the two event sequences must
// be identical (the incremental contract). Every call's result is checked against the API contract,
// the parser's buffered head is bounded by the limits, and on success the response serializer is fed
// header fields taken from the input and must never emit a field containing CR, LF or NUL.

import PAGIHTTP1

#if canImport(Glibc)
import Glibc
#endif

enum Output: Equatable {
    case head(method: [UInt8], target: [UInt8], fields: [[UInt8]], framing: HTTP1BodyFraming, keepAlive: Bool)
    case body([UInt8])
    case end(trailers: [[UInt8]])
    case error(HTTP1ParseError)
}

func run(_ input: [UInt8], pieces: [Int], limits: HTTP1Limits, lenient: Bool) -> [Output] {
    var parser = HTTP1RequestParser(limits: limits, allowsBareLineFeed: lenient)
    var outputs: [Output] = []
    var pending: [UInt8] = []
    var offset = 0
    var pieceIndex = 0
    while true {
        let length = pieces.isEmpty ? input.count : pieces[pieceIndex % pieces.count]
        pieceIndex += 1
        let end = min(offset + max(length, 1), input.count)
        pending += input[offset..<end]
        offset = end
        while true {
            let result = pending.withUnsafeBytes { parser.parse($0) }
            precondition(result.consumed >= 0 && result.consumed <= pending.count, "consumed out of range")
            switch result.event {
            case .needMoreData:
                precondition(result.consumed == pending.count, "needMoreData must consume everything")
            case .head:
                let head = parser.head
                precondition(head.headers.count <= limits.maxHeaderCount, "header count over the limit")
                precondition(head.target.count <= limits.maxRequestLineLength, "target over the limit")
                let fields = head.headers.map { Array($0.name) + [0x3A] + Array($0.value) }
                for field in head.headers {
                    precondition(!field.name.contains { $0 >= 0x41 && $0 <= 0x5A }, "name not lower-cased")
                    precondition(!field.value.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }, "CR/LF/NUL in a value")
                }
                outputs.append(.head(method: Array(head.method), target: Array(head.target), fields: fields, framing: head.framing, keepAlive: head.keepAlive))
            case .body(let range):
                precondition(range.lowerBound >= 0 && range.upperBound <= result.consumed, "body range outside consumed bytes")
                if let maxBody = limits.maxBodySize {
                    precondition(range.count <= maxBody, "body chunk over the body limit")
                }
                let bytes = Array(pending[range])
                if case .body(let previous) = outputs.last {
                    outputs[outputs.count - 1] = .body(previous + bytes)
                } else {
                    outputs.append(.body(bytes))
                }
            case .end:
                outputs.append(.end(trailers: parser.trailers.map { Array($0.name) + [0x3A] + Array($0.value) }))
            case .error(let error):
                precondition([400, 413, 414, 431, 501, 505].contains(error.status), "unexpected status")
                outputs.append(.error(error))
                return outputs
            }
            pending.removeFirst(result.consumed)
            if result.event == .needMoreData {
                break
            }
        }
        if offset == input.count {
            return outputs
        }
    }
}

func checkSerializer(_ data: [UInt8]) {
    guard data.count >= 2 else {
        return
    }
    let middle = data.count / 2
    let name = Array(data[..<middle])
    let value = Array(data[middle...])
    var serializer = HTTP1ResponseSerializer()
    var output: [UInt8] = []
    let context = HTTP1ResponseContext(version: .http1_1, isHeadRequest: false, keepAlive: true)
    do {
        try serializer.writeHead(status: 200, fields: [(name: name, value: value)], context: context, epochSecond: 0, into: &output)
        precondition(!name.contains { $0 < 0x20 || $0 == 0x7F }, "a name with control bytes was written")
        precondition(!value.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }, "a value with CR/LF/NUL was written")
    } catch {
        precondition(output.isEmpty, "a refused head wrote bytes")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP1(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else {
        return 0
    }
    let options = start[0]
    let input = Array(UnsafeBufferPointer(start: start + 1, count: count - 1))
    let lenient = options & 1 == 1
    let limits =
        options & 2 == 2
        ? HTTP1Limits(maxHeaderSectionSize: 64, maxHeaderCount: 4, maxRequestLineLength: 32, maxBodySize: 16, maxChunkExtensionLength: 8)
        : HTTP1Limits()
    let patterns: [[Int]] = [[1], [2, 3], [7], [1, 13, 2], [64]]
    let pieces = patterns[Int(options >> 2) % patterns.count]
    let whole = run(input, pieces: [], limits: limits, lenient: lenient)
    let split = run(input, pieces: pieces, limits: limits, lenient: lenient)
    precondition(whole == split, "split parse differs from whole parse")
    checkSerializer(input)
    return 0
}

/// libFuzzer's entry point for programs that own `main` (LLVM ≥ 11).
@_silgen_name("LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM gives an executable its own entry point, so libFuzzer's `main` never runs; hand control to
/// libFuzzer's driver explicitly.
@main
enum FuzzHTTP1Entry {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(llvmFuzzerRunDriver(&argc, &argv, fuzzHTTP1))
    }
}

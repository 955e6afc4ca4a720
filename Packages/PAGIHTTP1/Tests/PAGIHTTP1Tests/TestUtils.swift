import PAGIHTTP1
import Testing

/// A comparable copy of a request head, detached from the parser's buffer.
struct HeadSnapshot: Equatable, CustomStringConvertible {
    var method: String
    var target: String
    var rawPath: String
    var query: String
    var version: HTTP1Version
    var form: HTTP1TargetForm
    var fields: [String]
    var framing: HTTP1BodyFraming
    var keepAlive: Bool
    var expectsContinue: Bool
    var isUpgrade: Bool

    init(_ head: HTTP1RequestHead) {
        self.method = head.methodString
        self.target = String(decoding: head.target, as: UTF8.self)
        self.rawPath = String(decoding: head.rawPath, as: UTF8.self)
        self.query = String(decoding: head.queryString, as: UTF8.self)
        self.version = head.version
        self.form = head.targetForm
        self.fields = head.headers.map { "\($0.nameString): \($0.valueString)" }
        self.framing = head.framing
        self.keepAlive = head.keepAlive
        self.expectsContinue = head.expectsContinue
        self.isUpgrade = head.isUpgradeRequest
    }

    var description: String { "\(self.method) \(self.target) \(self.version) \(self.fields) \(self.framing)" }
}

/// One parser event with its payload copied out; consecutive body events are merged.
enum ParseOutput: Equatable {
    case head(HeadSnapshot)
    case body([UInt8])
    case end(trailers: [String])
    case error(HTTP1ParseError)

    var head: HeadSnapshot? {
        if case .head(let head) = self {
            return head
        }
        return nil
    }
}

/// Feeds `input` to a fresh parser in the pieces given by `splits` (piece lengths), carrying unconsumed
/// bytes over like a server's receive buffer, and collects every event until input runs out or an error.
func parseAll(
    _ input: [UInt8],
    pieces: [Int]? = nil,
    limits: HTTP1Limits = HTTP1Limits(),
    allowsBareLineFeed: Bool = false
) -> [ParseOutput] {
    var parser = HTTP1RequestParser(limits: limits, allowsBareLineFeed: allowsBareLineFeed)
    var outputs: [ParseOutput] = []
    var pending: [UInt8] = []
    var offset = 0
    let lengths = pieces ?? [input.count]
    for length in lengths + [0] {
        pending += input[offset..<min(offset + length, input.count)]
        offset = min(offset + length, input.count)
        while true {
            let result = pending.withUnsafeBytes { parser.parse($0) }
            #expect(result.consumed <= pending.count)
            var stop = false
            switch result.event {
            case .needMoreData:
                #expect(result.consumed == pending.count, "needMoreData must consume everything")
                stop = true
            case .head:
                outputs.append(.head(HeadSnapshot(parser.head)))
            case .body(let range):
                #expect(range.upperBound <= result.consumed)
                let bytes = Array(pending[range])
                if case .body(let previous) = outputs.last {
                    outputs[outputs.count - 1] = .body(previous + bytes)
                } else {
                    outputs.append(.body(bytes))
                }
            case .end:
                outputs.append(.end(trailers: parser.trailers.map { "\($0.nameString): \($0.valueString)" }))
            case .error(let error):
                outputs.append(.error(error))
                return outputs
            }
            pending.removeFirst(result.consumed)
            if stop {
                break
            }
        }
    }
    return outputs
}

/// Parses `text` whole, one byte at a time, and split in two at every position; all runs must agree.
/// - Returns: The events of the whole-buffer run.
@discardableResult
func parseVerifyingSplits(
    _ text: String,
    limits: HTTP1Limits = HTTP1Limits(),
    allowsBareLineFeed: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) -> [ParseOutput] {
    let input = Array(text.utf8)
    let whole = parseAll(input, limits: limits, allowsBareLineFeed: allowsBareLineFeed)
    let byteByByte = parseAll(input, pieces: Array(repeating: 1, count: input.count), limits: limits, allowsBareLineFeed: allowsBareLineFeed)
    #expect(byteByByte == whole, "one byte at a time differs", sourceLocation: sourceLocation)
    // Every split point is quadratic in the input; the large limit tests only need the two runs above.
    if input.count <= 4096 {
        for split in 0...input.count {
            let pieces = parseAll(input, pieces: [split, input.count - split], limits: limits, allowsBareLineFeed: allowsBareLineFeed)
            if pieces != whole {
                Issue.record("split at \(split) differs: \(pieces) vs \(whole)", sourceLocation: sourceLocation)
                break
            }
        }
    }
    return whole
}

/// The error a request ends in, or `nil` if it parsed without one (checked at every split).
func parseError(
    _ text: String,
    limits: HTTP1Limits = HTTP1Limits(),
    allowsBareLineFeed: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) -> HTTP1ParseError? {
    let outputs = parseVerifyingSplits(text, limits: limits, allowsBareLineFeed: allowsBareLineFeed, sourceLocation: sourceLocation)
    if case .error(let error) = outputs.last {
        return error
    }
    return nil
}

/// The first head of `text` (checked at every split); records an issue if there is none.
func parseHead(
    _ text: String,
    limits: HTTP1Limits = HTTP1Limits(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> HeadSnapshot? {
    let outputs = parseVerifyingSplits(text, limits: limits, sourceLocation: sourceLocation)
    guard let head = outputs.first?.head else {
        Issue.record("no head: \(outputs)", sourceLocation: sourceLocation)
        return nil
    }
    return head
}

extension String {
    /// The request text with `\n` turned into CRLF, so tests read naturally.
    var crlf: String { self.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n") }
}

/// 1994-11-06 08:49:37 UTC, the RFC 9110 example date.
let exampleEpochSecond = 784_111_777
let exampleDate = "Sun, 06 Nov 1994 08:49:37 GMT"

func fields(_ pairs: [(String, String)]) -> [(name: [UInt8], value: [UInt8])] {
    pairs.map { (name: Array($0.0.utf8), value: Array($0.1.utf8)) }
}

/// A request that must be refused, with the error it must be refused with.
struct Rejection: CustomTestStringConvertible, Sendable {
    var name: String
    var request: String
    var error: HTTP1ParseError
    var testDescription: String { self.name }

    init(_ name: String, _ request: String, _ error: HTTP1ParseError) {
        self.name = name
        self.request = request
        self.error = error
    }
}

import Testing

@testable import PAGIAccessLog

@Suite("AccessLogLineWriter")
struct AccessLogLineWriterTests {
    private func escaped(_ text: String) -> String {
        written { $0.appendEscaped(text) }
    }

    @Test("printable ASCII passes unchanged")
    func printable() {
        let printable = String(decoding: (0x20...0x7E).filter { $0 != 0x22 && $0 != 0x5C }, as: UTF8.self)
        #expect(escaped(printable) == printable)
    }

    @Test("quote and backslash get a backslash")
    func quoteAndBackslash() {
        #expect(escaped(#"a"b\c"#) == #"a\"b\\c"#)
    }

    @Test("every control byte, DEL and every byte from 0x80 becomes \\xhh")
    func controlBytes() {
        for byte in Array(0x00...0x1F) + [0x7F] + Array(0x80...0xFF) {
            let text = written { writer in [UInt8(byte)].withUnsafeBytes { writer.appendEscaped($0) } }
            let hex = String(byte, radix: 16)
            #expect(text == "\\x" + (hex.count == 1 ? "0" + hex : hex))
        }
    }

    @Test("a forged line stays on one line")
    func forgedLine() {
        #expect(escaped("ok\n1.2.3.4 - - [x] \"GET /\" 200") == #"ok\x0a1.2.3.4 - - [x] \"GET /\" 200"#)
    }

    @Test("non-contiguous (bridged-like) strings escape the same way")
    func substringsEscape() {
        #expect(escaped(String("é\"".dropFirst(0))) == #"\xc3\xa9\""#)
    }

    @Test("decimal and padded numbers", arguments: [(0, "0"), (9, "9"), (10, "10"), (4_294_967_296, "4294967296"), (-42, "-42")])
    func decimal(_ value: Int, _ expected: String) {
        #expect(written { $0.appendDecimal(value) } == expected)
    }

    @Test("UInt.max and Int.min print in full")
    func extremes() {
        let text = written { writer in
            writer.appendDecimal(UInt.max)
            writer.append(0x20)
            writer.appendDecimal(Int.min)
        }
        #expect(text == "\(UInt.max) \(Int.min)")
    }

    @Test("padding keeps the last digits")
    func padded() {
        let text = written { writer in
            writer.appendPadded(7, width: 3)
            writer.appendPadded(12_345, width: 2)
        }
        #expect(text == "00745")
    }

    @Test("a line longer than the buffer's room is rendered again with more room, keeping earlier contents")
    func overflowRetries() {
        var buffer: [UInt8] = Array("kept|".utf8)
        let long = String(repeating: "ab\"", count: 5_000)
        var calls = 0
        AccessLogLineWriter.append(to: &buffer) { writer in
            calls += 1
            writer.appendEscaped(long)
            writer.append("|end")
        }
        #expect(calls > 1)
        #expect(String(decoding: buffer, as: UTF8.self) == "kept|" + String(repeating: #"ab\""#, count: 5_000) + "|end")
    }

    @Test("every write kind near the end of the room either fits exactly or triggers a retry")
    func writesAtTheEdge() {
        for fill in 240...256 {
            let filler = String(repeating: "x", count: fill)
            let text = written { writer in
                writer.appendEscaped(filler)
                writer.appendEscaped("\u{1}\"")
                writer.appendDecimal(1_234_567)
                writer.appendPadded(5, width: 3)
                writer.append("+0000")
            }
            #expect(text == filler + #"\x01\"1234567005+0000"#, "fill \(fill)")
        }
    }

    @Test("a buffer with spare capacity is filled in place")
    func spareCapacityKept() {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1_024)
        AccessLogLineWriter.append(to: &buffer) { $0.append("hello") }
        #expect(buffer == Array("hello".utf8))
        #expect(buffer.capacity >= 1_024)
    }

    @Test("the 8-byte fast path escapes every byte value at every position of a word")
    func wordAtATime() {
        for value in 0...255 {
            let byte = UInt8(value)
            let expectedByte: String
            switch byte {
            case UInt8(ascii: "\""): expectedByte = #"\""#
            case UInt8(ascii: "\\"): expectedByte = #"\\"#
            case 0x20...0x7E: expectedByte = String(UnicodeScalar(byte))
            default:
                let hex = String(value, radix: 16)
                expectedByte = "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
            for position in 0..<19 {
                var input = Array(repeating: UInt8(ascii: "a"), count: 19)
                input[position] = byte
                let text = written { writer in input.withUnsafeBytes { writer.appendEscaped($0) } }
                let expected = String(repeating: "a", count: position) + expectedByte + String(repeating: "a", count: 18 - position)
                guard text == expected else {
                    Issue.record("byte \(value) at \(position): \(text)")
                    return
                }
            }
        }
    }
}

/// The fast paths of the writer (word-at-a-time escaping with an overlapping last word, digit
/// pairs, fixed-offset fields) against plain byte-by-byte reference implementations.
@Suite("AccessLogLineWriter fast paths")
struct AccessLogLineWriterFastPathTests {
    /// Apache's escaping, one byte at a time: the reference the fast paths must match.
    private func referenceEscaped(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): text += #"\""#
            case UInt8(ascii: "\\"): text += #"\\"#
            case 0x20...0x7E: text.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text
    }

    @Test("every length 0–40 with one byte to escape at every position, and with none")
    func lengthsAndPositions() {
        let specials: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xFF]
        for length in 0...40 {
            let clean = (0..<length).map { UInt8(ascii: "a") &+ UInt8($0 % 26) }
            let cleanText = written { writer in clean.withUnsafeBytes { writer.appendEscaped($0) } }
            #expect(cleanText == referenceEscaped(clean), "clean length \(length)")
            for position in 0..<length {
                for special in specials {
                    var input = clean
                    input[position] = special
                    let text = written { writer in input.withUnsafeBytes { writer.appendEscaped($0) } }
                    guard text == referenceEscaped(input) else {
                        Issue.record("length \(length), byte \(special) at \(position): \(text)")
                        return
                    }
                }
            }
        }
    }

    @Test("the 8- and 16-byte escape tests have no false negatives and flag clean words never")
    func escapeMaskIsExact() {
        // Bytes at the edges of every class, in all combinations of two positions, plus random words.
        let edges: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0x81, 0xFE, 0xFF]
        func check(_ bytes: [UInt8]) -> Bool {
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let expected = bytes.contains { AccessLogLineWriter.needsEscaping($0) }
            // The 16-byte test, with the word in either half and clean bytes in the other.
            let clean = Array(repeating: UInt8(ascii: "m"), count: 8)
            let low = (bytes + clean).withUnsafeBytes { $0.loadUnaligned(as: SIMD16<UInt8>.self) }
            let high = (clean + bytes).withUnsafeBytes { $0.loadUnaligned(as: SIMD16<UInt8>.self) }
            return AccessLogLineWriter.mayNeedEscaping(word) == expected
                && AccessLogLineWriter.needsEscaping(low) == expected
                && AccessLogLineWriter.needsEscaping(high) == expected
        }
        for first in edges {
            for second in edges {
                for i in 0..<8 {
                    for j in 0..<8 {
                        var bytes = Array(repeating: UInt8(ascii: "m"), count: 8)
                        bytes[i] = first
                        bytes[j] = second
                        guard check(bytes) else {
                            Issue.record("word \(bytes)")
                            return
                        }
                    }
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50_000 {
            // Mostly printable words, where a wrong mask would hide.
            let bytes = (0..<8).map { _ in UInt8.random(in: 0x1E...0x80, using: &generator) }
            guard check(bytes) else {
                Issue.record("word \(bytes)")
                return
            }
        }
    }

    @Test("decimal digits match String(_:) across every digit-count boundary")
    func decimalBoundaries() {
        var values: [UInt] = Array(0...10_000)
        var power: UInt = 1
        for _ in 0..<19 {
            power *= 10
            values += [power - 1, power, power + 1]
        }
        values.append(UInt.max)
        for value in values {
            let text = written { $0.appendDecimal(value) }
            guard text == String(value) else {
                Issue.record("\(value) printed as \(text)")
                return
            }
        }
    }

    @Test("padded widths 1–20 keep the last digits")
    func paddedWidths() {
        for width in 1...20 {
            let text = written { $0.appendPadded(12_345_678_901_234_567_890, width: width) }
            let full = "12345678901234567890"
            #expect(text == String(full.suffix(width)), "width \(width)")
        }
    }

    @Test("short literals near the end of the room fit exactly or retry, never write past it")
    func shortLiteralAtTheEdge() {
        let literal: [UInt8] = Array("] \"".utf8) + Array(repeating: 0, count: AccessLogLineWriter.shortLiteralReadLength)
        for fill in 236...256 {
            let filler = String(repeating: "x", count: fill)
            let text = written { writer in
                writer.appendEscaped(filler)
                literal.withUnsafeBytes { writer.appendShortLiteral($0.baseAddress!, count: 3) }
                writer.append("|")
            }
            #expect(text == filler + "] \"|", "fill \(fill)")
        }
    }

    @Test("%t near the end of the room retries instead of writing past it")
    func timeAtTheEdge() {
        for fill in 220...256 {
            let filler = String(repeating: "x", count: fill)
            let text = written { writer in
                writer.appendEscaped(filler)
                AccessLogTimeFormatter.appendCommonLogTime(referenceCombinedInstant, to: &writer)
                writer.append("|")
            }
            #expect(text == filler + "22/Nov/2026:03:35:44 +0000|", "fill \(fill)")
        }
    }
}

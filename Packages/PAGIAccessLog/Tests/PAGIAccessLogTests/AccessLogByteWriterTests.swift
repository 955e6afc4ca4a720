import Testing

@testable import PAGIAccessLog

@Suite("AccessLogByteWriter")
struct AccessLogByteWriterTests {
    private func escaped(_ text: String) -> String {
        var buffer: [UInt8] = []
        AccessLogByteWriter.appendEscaped(text, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
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
            var buffer: [UInt8] = []
            [UInt8(byte)].withUnsafeBytes { AccessLogByteWriter.appendEscaped($0, to: &buffer) }
            let hex = String(byte, radix: 16)
            #expect(String(decoding: buffer, as: UTF8.self) == "\\x" + (hex.count == 1 ? "0" + hex : hex))
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
        var buffer: [UInt8] = []
        AccessLogByteWriter.appendDecimal(value, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == expected)
    }

    @Test("UInt.max and Int.min print in full")
    func extremes() {
        var buffer: [UInt8] = []
        AccessLogByteWriter.appendDecimal(UInt.max, to: &buffer)
        buffer.append(0x20)
        AccessLogByteWriter.appendDecimal(Int.min, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "\(UInt.max) \(Int.min)")
    }

    @Test("padding keeps the last digits")
    func padded() {
        var buffer: [UInt8] = []
        AccessLogByteWriter.appendPadded(7, width: 3, to: &buffer)
        AccessLogByteWriter.appendPadded(12_345, width: 2, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "00745")
    }
}

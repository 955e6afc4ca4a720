import Testing
import PAGIWebSocket

/// Validates `bytes` whole and split at every point; returns the whole-input verdict and whether
/// every split agreed.
private func validate(_ bytes: [UInt8]) -> (valid: Bool, splitsAgree: Bool) {
    func run(_ chunks: [ArraySlice<UInt8>]) -> Bool {
        var validator = WebSocketUTF8Validator()
        for chunk in chunks where !validator.consume(Array(chunk)) { return false }
        return validator.isAtCharacterBoundary
    }
    let whole = run([bytes[...]])
    var agree = run(bytes.indices.map { bytes[$0...$0] }) == whole
    for split in 0...bytes.count { agree = agree && run([bytes[..<split], bytes[split...]]) == whole }
    return (whole, agree)
}

@Suite("WebSocketUTF8Validator")
struct WebSocketUTF8ValidatorTests {
    @Test(
        "valid sequences, including every boundary code point",
        arguments: [
            [], Array("plain ASCII".utf8), [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
            [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
            Array("κόσμε 😀 €".utf8), Array(String(repeating: "abcdefgh", count: 9).utf8) + [0xC3, 0xA9],
        ] as [[UInt8]])
    func valid(bytes: [UInt8]) {
        let result = validate(bytes)
        #expect(result.valid)
        #expect(result.splitsAgree)
    }

    @Test(
        "invalid sequences: overlongs, surrogates, > U+10FFFF, stray and missing continuations",
        arguments: [
            [0xC0, 0x80], [0xC1, 0xBF],  // overlong 2-byte
            [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF],  // overlong 3-byte
            [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],  // overlong 4-byte
            [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],  // surrogates U+D800, U+DFFF
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF],  // > U+10FFFF
            [0x80], [0x61, 0xBF],  // stray continuation
            [0xC2], [0xE2, 0x82], [0xF0, 0x9F, 0x98],  // truncated
            [0xC2, 0x41], [0xE2, 0x28, 0xA1],  // lead without continuation
            Array(repeating: 0x61, count: 40) + [0xFE],  // invalid byte after the fast ASCII path
        ] as [[UInt8]])
    func invalid(bytes: [UInt8]) {
        let result = validate(bytes)
        #expect(!result.valid)
        #expect(result.splitsAgree)
    }

    @Test("fails fast: the first impossible byte is rejected even before the rest arrives")
    func failsFast() {
        var validator = WebSocketUTF8Validator()
        let prefixValid = validator.consume([0x61, 0xF0])
        #expect(prefixValid)
        let overlongValid = validator.consume([0x8F])  // F0 8F can only start an overlong
        #expect(!overlongValid)
        var surrogate = WebSocketUTF8Validator()
        let surrogateValid = surrogate.consume([0xED, 0xA0])
        #expect(!surrogateValid)
    }

    @Test("reset forgets a partial code point")
    func reset() {
        var validator = WebSocketUTF8Validator()
        let leadValid = validator.consume([0xE2])
        #expect(leadValid)
        #expect(!validator.isAtCharacterBoundary)
        validator.reset()
        #expect(validator.isAtCharacterBoundary)
        let asciiValid = validator.consume([0x61])
        #expect(asciiValid)
    }
}

@Suite("WebSocketUTF8Validator against the standard library")
struct WebSocketUTF8ValidatorDifferentialTests {
    @Test("agrees with String(validating:) on 20 000 pseudo-random byte strings biased towards UTF-8 edges")
    func differential() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        var disagreements = 0
        for _ in 0..<20_000 {
            let length = Int(next() % 24)
            let bytes = (0..<length).map { _ in next() % 3 == 0 ? UInt8(truncatingIfNeeded: next()) : interesting[Int(next() % UInt64(interesting.count))] }
            var validator = WebSocketUTF8Validator()
            let ours = validator.consume(bytes) && validator.isAtCharacterBoundary
            let stdlib = String(validating: bytes, as: UTF8.self) != nil
            if ours != stdlib { disagreements += 1 }
        }
        #expect(disagreements == 0)
    }
}

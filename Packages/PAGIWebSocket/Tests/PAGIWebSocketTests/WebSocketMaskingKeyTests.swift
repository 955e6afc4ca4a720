import Testing
import PAGIWebSocket

@Suite("WebSocketMaskingKey")
struct WebSocketMaskingKeyTests {
    @Test("word-wise masking equals the byte-wise definition for every length and phase")
    func matchesDefinition() {
        let key = WebSocketMaskingKey(0x01, 0x23, 0x45, 0x67)
        for length in [0, 1, 3, 7, 8, 9, 31, 32, 33, 100] {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            for phase in 0..<4 {
                var masked = data
                key.apply(to: &masked, phase: phase)
                let expected = data.enumerated().map { $0.element ^ key[$0.offset + phase] }
                #expect(masked == expected, "length \(length) phase \(phase)")
                key.apply(to: &masked, phase: phase)
                #expect(masked == data)
            }
        }
    }

    @Test("key bytes are in wire order")
    func wireOrder() {
        let key = WebSocketMaskingKey(0xAA, 0xBB, 0xCC, 0xDD)
        #expect(key.rawValue == 0xAABB_CCDD)
        #expect([key[0], key[1], key[2], key[3], key[4]] == [0xAA, 0xBB, 0xCC, 0xDD, 0xAA])
    }
}

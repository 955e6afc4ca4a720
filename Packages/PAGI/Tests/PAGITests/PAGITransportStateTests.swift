import PAGI
import Testing

@Suite("PAGITransportState")
struct PAGITransportStateTests {
    @Test("high-water and drain fire once each per cycle, with hysteresis")
    func hysteresis() {
        let transport = PAGITransportState(highWaterMark: 100, lowWaterMark: 20)
        let log = CallLog()
        transport.onHighWater { log.append("high") }
        transport.onDrain { log.append("drain") }
        transport.update(bufferedAmount: 99)
        #expect(log.all.isEmpty)
        transport.update(bufferedAmount: 100)
        transport.update(bufferedAmount: 150)
        #expect(log.all == ["high"])
        transport.update(bufferedAmount: 20)
        #expect(log.all == ["high"])
        transport.update(bufferedAmount: 19)
        transport.update(bufferedAmount: 0)
        #expect(log.all == ["high", "drain"])
        transport.update(bufferedAmount: 100)
        #expect(log.all == ["high", "drain", "high"])
        #expect(transport.bufferedAmount == 100)
    }

    @Test("registering at or above the high mark fires at once; drain never fires at registration")
    func registration() {
        let transport = PAGITransportState(highWaterMark: 10, lowWaterMark: 5)
        let log = CallLog()
        transport.onDrain { log.append("drain") }
        #expect(log.all.isEmpty)
        transport.update(bufferedAmount: 10)
        transport.onHighWater { log.append("high") }
        #expect(log.all == ["high"])
        #expect(transport.highWaterMark == 10)
        #expect(transport.lowWaterMark == 5)
    }
}

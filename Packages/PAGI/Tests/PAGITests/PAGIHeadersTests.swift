import PAGI
import Testing

@Suite("PAGIHeaders")
struct PAGIHeadersTests {
    @Test("names are lower-cased, values kept, order and duplicates preserved")
    func orderAndDuplicates() {
        var headers: PAGIHeaders = [("Content-Type", "Text/HTML"), ("Set-Cookie", "a=1")]
        headers.add(name: "SET-COOKIE", value: "b=2")
        #expect(headers.count == 3)
        #expect(headers.map(\.name) == ["content-type", "set-cookie", "set-cookie"])
        #expect(headers.map(\.value) == ["Text/HTML", "a=1", "b=2"])
        #expect(headers.values(name: "set-cookie") == ["a=1", "b=2"])
    }

    @Test("lookup is case-insensitive")
    func lookup() {
        let headers: PAGIHeaders = [("host", "example.com")]
        #expect(headers.first(name: "HOST") == "example.com")
        #expect(headers.contains(name: "Host"))
        #expect(headers.first(name: "hos") == nil)
        #expect(!headers.contains(name: "hostx"))
    }

    @Test("raw bytes are stored exactly, including non-UTF-8 values")
    func rawBytes() {
        var headers = PAGIHeaders()
        headers.add(nameBytes: Array("X-Raw".utf8), valueBytes: [0x66, 0xFF, 0x6F])
        #expect(Array(headers[0].nameBytes) == Array("x-raw".utf8))
        #expect(Array(headers[0].valueBytes) == [0x66, 0xFF, 0x6F])
        #expect(headers[0].value == "f\u{FFFD}o")
    }

    @Test("removeAll and replaceOrAdd")
    func mutation() {
        var headers: PAGIHeaders = [("a", "1"), ("b", "2"), ("A", "3")]
        headers.removeAll(name: "a")
        #expect(headers.map(\.name) == ["b"])
        headers.replaceOrAdd(name: "B", value: "9")
        headers.replaceOrAdd(name: "c", value: "1")
        #expect(headers == [("b", "9"), ("c", "1")])
    }

    @Test("token lists are matched case-insensitively across fields")
    func tokens() {
        let headers: PAGIHeaders = [("connection", "keep-alive, Upgrade"), ("connection", " close ")]
        #expect(headers.containsToken("upgrade", inFieldNamed: "Connection"))
        #expect(headers.containsToken("close", inFieldNamed: "connection"))
        #expect(!headers.containsToken("keep", inFieldNamed: "connection"))
    }

    @Test("equality compares fields in order")
    func equality() {
        #expect(PAGIHeaders([("a", "1"), ("b", "2")]) == [("A", "1"), ("b", "2")])
        #expect(PAGIHeaders([("a", "1"), ("b", "2")]) != [("b", "2"), ("a", "1")])
    }

    @Test("emission check accepts token names and opaque values")
    func emissionAccepts() throws {
        let headers: PAGIHeaders = [("x-custom_1.!#$%&'*+^`|~", "v\talue é")]
        try headers.validateForEmission(context: "http.response.start")
    }

    @Test(
        "emission check refuses unsafe names",
        arguments: ["", "bad name", "bad:name", "bad\rname", "bad\nname", "bad\u{0}name", "bad\u{1}name", "bad\u{7F}name", "nämé"]
    )
    func emissionRefusesNames(name: String) {
        let headers: PAGIHeaders = [(name, "v")]
        #expect(throws: PAGIEventError.self) { try headers.validateForEmission(context: "http.response.start") }
        do {
            try headers.validateForEmission(context: "http.response.start")
        } catch {
            #expect(error.code == .invalidHeader)
            #expect(error.message.contains("invalid name"))
        }
    }

    @Test("emission check refuses CR, LF and NUL in values", arguments: ["a\rb", "a\nb", "a\u{0}b", "x\r\nSet-Cookie: evil=1"])
    func emissionRefusesValues(value: String) {
        let headers: PAGIHeaders = [("x", value)]
        do {
            try headers.validateForEmission(context: "http.response.trailers")
            Issue.record("value \(value.debugDescription) was accepted")
        } catch {
            #expect(error.code == .invalidHeader)
            #expect(error.eventType == "http.response.trailers")
            #expect(error.message.contains("header injection"))
        }
    }

    @Test("containsField sees each name and value in place, in order, and stops at the first match")
    func containsFieldScan() {
        let headers: PAGIHeaders = [("Host", "a"), ("accept", "text/event-stream"), ("accept", "text/html")]
        var seen: [String] = []
        let found = headers.containsField { name, value in
            seen.append(String(decoding: name, as: UTF8.self) + "=" + String(decoding: value, as: UTF8.self))
            return name.elementsEqual("accept".utf8)
        }
        #expect(found)
        #expect(seen == ["host=a", "accept=text/event-stream"])
        #expect(!headers.containsField { name, _ in name.elementsEqual("cookie".utf8) })
        #expect(!PAGIHeaders().containsField { _, _ in true })
    }

    @Test("equality compares fields, whatever the storage layout")
    func equalityIgnoresLayout() {
        var removed: PAGIHeaders = [("x-gone", "1"), ("a", "1")]
        removed.removeAll(name: "x-gone")
        #expect(removed == [("a", "1")])
        let copy = removed
        #expect(copy == removed)
        #expect(removed != [("a", "2")])
        #expect(removed != [("a", "1"), ("a", "1")])
    }
}

import Testing

@testable import PAGIAccessLog

@Suite("AccessLogHeaderList")
struct AccessLogHeaderListTests {
    private func first(_ list: AccessLogHeaderList, _ name: String) -> String? {
        Array(name.utf8).withUnsafeBytes { key in
            list.withFirstValue(forLowercasedName: key) { $0.map { String(decoding: $0, as: UTF8.self) } }
        }
    }

    @Test("lookup is case-insensitive and returns the first match")
    func firstMatch() {
        var list: AccessLogHeaderList = [("Accept", "a"), ("ACCEPT", "b")]
        list.append(name: "Host", value: "h")
        #expect(first(list, "accept") == "a")
        #expect(first(list, "host") == "h")
        #expect(first(list, "missing") == nil)
        #expect(first(list, "accep") == nil)
    }

    @Test("fields round-trip through the accessor")
    func fieldsAccessor() {
        var list = AccessLogHeaderList([(name: "A", value: "1")])
        list.fields = [(name: "B", value: "2")]
        #expect(list.fields.map(\.name) == ["B"])
        #expect(first(list, "b") == "2")
    }
}

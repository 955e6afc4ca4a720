import PAGIHTTP1
import Testing

@Suite("HTTP1RequestParser: request line and header field rules")
struct HTTP1RequestParserHeadTests {
    static let requestLineRejections: [Rejection] = [
        Rejection("double space after method", "GET  / HTTP/1.1\nHost: h\n\n", .malformedRequestLine),
        Rejection("double space after target", "GET /  HTTP/1.1\nHost: h\n\n", .malformedRequestLine),
        Rejection("leading space", " GET / HTTP/1.1\nHost: h\n\n", .malformedRequestLine),
        Rejection("HTTP/0.9 line without version", "GET /\nHost: h\n\n", .malformedRequestLine),
        Rejection("space inside target", "GET /a b HTTP/1.1\nHost: h\n\n", .malformedRequestLine),
        Rejection("trailing space after version", "GET / HTTP/1.1 \nHost: h\n\n", .malformedRequestLine),
        Rejection("lower-case version", "GET / http/1.1\nHost: h\n\n", .malformedVersion),
        Rejection("two-digit minor version", "GET / HTTP/1.10\nHost: h\n\n", .malformedVersion),
        Rejection("version without minor", "GET / HTTP/1\nHost: h\n\n", .malformedVersion),
        Rejection("HTTP/2.0", "GET / HTTP/2.0\nHost: h\n\n", .unsupportedVersion),
        Rejection("HTTP/1.2", "GET / HTTP/1.2\nHost: h\n\n", .unsupportedVersion),
        Rejection("HTTP/0.9 with version", "GET / HTTP/0.9\nHost: h\n\n", .unsupportedVersion),
        Rejection("method with a slash", "G/T / HTTP/1.1\nHost: h\n\n", .invalidMethod),
        Rejection("tab as separator", "GET\t/ HTTP/1.1\nHost: h\n\n", .invalidMethod),
        Rejection("NUL in target", "GET /\u{0}x HTTP/1.1\nHost: h\n\n", .invalidTarget),
        Rejection("DEL in target", "GET /\u{7F} HTTP/1.1\nHost: h\n\n", .invalidTarget),
        Rejection("non-ASCII in target", "GET /é HTTP/1.1\nHost: h\n\n", .invalidTarget),
        Rejection("relative target", "GET a/b HTTP/1.1\nHost: h\n\n", .invalidTarget),
        Rejection("asterisk without OPTIONS", "GET * HTTP/1.1\nHost: h\n\n", .invalidTarget),
        Rejection("CONNECT with origin-form", "CONNECT /x HTTP/1.1\nHost: h\n\n", .invalidTarget),
        Rejection("authority-form without CONNECT", "GET example.com:443 HTTP/1.1\nHost: h\n\n", .invalidTarget),
        Rejection("bare CR in request line", "GET /\r HTTP/1.1\nHost: h\n\n", .bareCarriageReturn),
    ]

    @Test(arguments: Self.requestLineRejections)
    func rejectsRequestLine(_ rejection: Rejection) {
        #expect(parseError(rejection.request.crlf) == rejection.error)
        #expect(rejection.error.status == (rejection.error == .unsupportedVersion ? 505 : 400))
    }

    static let fieldRejections: [Rejection] = [
        Rejection("obs-fold", "GET / HTTP/1.1\nHost: h\nX-A: 1\n  continued\n\n", .obsoleteLineFolding),
        Rejection("obs-fold with tab", "GET / HTTP/1.1\nHost: h\nX-A: 1\n\tcontinued\n\n", .obsoleteLineFolding),
        Rejection("whitespace before colon", "GET / HTTP/1.1\nHost: h\nX-A : 1\n\n", .whitespaceBeforeColon),
        Rejection("tab before colon", "GET / HTTP/1.1\nHost: h\nContent-Length\t: 1\n\n", .whitespaceBeforeColon),
        Rejection("no colon", "GET / HTTP/1.1\nHost: h\nX-A\n\n", .malformedHeaderLine),
        Rejection("empty name", "GET / HTTP/1.1\nHost: h\n: v\n\n", .emptyHeaderName),
        Rejection("space inside name", "GET / HTTP/1.1\nHost: h\nX A: v\n\n", .invalidHeaderName),
        Rejection("bracket in name", "GET / HTTP/1.1\nHost: h\nX[A]: v\n\n", .invalidHeaderName),
        Rejection("NUL in value", "GET / HTTP/1.1\nHost: h\nX-A: a\u{0}b\n\n", .invalidHeaderValue),
        Rejection("VT in value", "GET / HTTP/1.1\nHost: h\nX-A: a\u{B}b\n\n", .invalidHeaderValue),
        Rejection("FF in value", "GET / HTTP/1.1\nHost: h\nX-A: a\u{C}b\n\n", .invalidHeaderValue),
        Rejection("DEL in value", "GET / HTTP/1.1\nHost: h\nX-A: a\u{7F}b\n\n", .invalidHeaderValue),
        Rejection("bare CR in value", "GET / HTTP/1.1\nHost: h\nX-A: a\rb\n\n", .bareCarriageReturn),
        Rejection("bare CR in name", "GET / HTTP/1.1\nHost: h\nX-\rA: b\n\n", .bareCarriageReturn),
        Rejection("missing Host in 1.1", "GET / HTTP/1.1\nX-A: b\n\n", .missingHost),
        Rejection("two Host fields", "GET / HTTP/1.1\nHost: a\nHost: b\n\n", .multipleHost),
        Rejection("two Host fields in 1.0", "GET / HTTP/1.0\nHost: a\nhost: a\n\n", .multipleHost),
    ]

    @Test(arguments: Self.fieldRejections)
    func rejectsField(_ rejection: Rejection) {
        #expect(parseError(rejection.request.crlf) == rejection.error)
        #expect(rejection.error.status == 400)
    }

    @Test func bareLineFeedIsRejectedByDefault() {
        #expect(parseError("GET / HTTP/1.1\nHost: h\n\n") == .bareLineFeed)
        #expect(parseError("GET / HTTP/1.1\r\nHost: h\n\r\n") == .bareLineFeed)
        #expect(parseError("GET / HTTP/1.1\r\nHost: h\r\n\n") == .bareLineFeed)
    }

    @Test func bareLineFeedIsAcceptedWhenLenient() {
        let outputs = parseVerifyingSplits("GET / HTTP/1.1\nHost: h\r\nX: 1\n\n", allowsBareLineFeed: true)
        #expect(outputs.first?.head?.fields == ["host: h", "x: 1"])
        #expect(outputs.last == .end(trailers: []))
    }

    @Test func namesAreLowerCasedValuesKeptAndTrimmed() {
        let head = parseHead("GET / HTTP/1.1\nHOST: h\nX-Mixed-Case:\t Value With Spaces \t\nX-Empty:\nX-Obs: caf\u{E9}\n\n".crlf)
        #expect(head?.fields == ["host: h", "x-mixed-case: Value With Spaces", "x-empty: ", "x-obs: café"])
    }

    @Test func duplicatesAndOrderArePreserved() {
        let head = parseHead("GET / HTTP/1.1\nCookie: a=1\nHost: h\nCookie: b=2\nSet-Thing: x\n\n".crlf)
        #expect(head?.fields == ["cookie: a=1", "host: h", "cookie: b=2", "set-thing: x"])
    }

    @Test func emptyHostIsAccepted() {
        #expect(parseHead("GET / HTTP/1.1\nHost:\n\n".crlf)?.fields == ["host: "])
    }

    @Test func http10DoesNotNeedHost() {
        let head = parseHead("GET / HTTP/1.0\n\n".crlf)
        #expect(head?.version == .http1_0)
        #expect(head?.keepAlive == false)
    }

    @Test func methodCaseIsPreserved() {
        #expect(parseHead("get / HTTP/1.1\nHost: h\n\n".crlf)?.method == "get")
        #expect(parseHead("M-SEARCH /x HTTP/1.1\nHost: h\n\n".crlf)?.method == "M-SEARCH")
    }

    @Test func leadingEmptyLinesAreIgnored() {
        let head = parseHead("\n\nGET /x HTTP/1.1\nHost: h\n\n".crlf)
        #expect(head?.target == "/x")
    }

    @Test(arguments: [
        ("Connection: close", "1.1", false), ("Connection: keep-alive", "1.1", true), ("", "1.1", true),
        ("Connection: Keep-Alive, CLOSE", "1.1", false), ("Connection: keep-alive", "1.0", true),
        ("Connection: foo,  KEEP-ALIVE ", "1.0", true), ("", "1.0", false), ("Connection: keep-alive, close", "1.0", false),
        ("Connection: closed", "1.1", true), ("Connection: not-keep-alive", "1.0", false),
    ])
    func keepAliveRules(field: String, version: String, keepAlive: Bool) {
        let fieldLine = field.isEmpty ? "" : field + "\n"
        let head = parseHead("GET / HTTP/\(version)\nHost: h\n\(fieldLine)\n".crlf)
        #expect(head?.keepAlive == keepAlive)
    }

    @Test(arguments: [
        ("Expect: 100-continue", true), ("Expect: 100-Continue", true), ("Expect:  100-CONTINUE  ", true),
        ("Expect: 200-ok", false), ("X-Expect: 100-continue", false),
    ])
    func expectContinue(field: String, expected: Bool) {
        let head = parseHead("POST / HTTP/1.1\nHost: h\nContent-Length: 1\n\(field)\n\nx".crlf)
        #expect(head?.expectsContinue == expected)
    }

    @Test(arguments: [
        ("Upgrade: websocket\nConnection: Upgrade", true), ("Upgrade: websocket\nConnection: keep-alive, upgrade", true),
        ("Upgrade: websocket", false), ("Connection: upgrade", false),
    ])
    func upgradeHint(fields: String, expected: Bool) {
        let head = parseHead("GET /ws HTTP/1.1\nHost: h\n\(fields)\n\n".crlf)
        #expect(head?.isUpgrade == expected)
    }

    @Test func targetForms() {
        let absolute = parseHead("GET http://example.com:8080/p/q?x=1 HTTP/1.1\nHost: h\n\n".crlf)
        #expect(absolute?.form == .absolute)
        #expect(absolute?.rawPath == "/p/q")
        #expect(absolute?.query == "x=1")
        let absoluteNoPath = parseHead("GET https://example.com HTTP/1.1\nHost: h\n\n".crlf)
        #expect(absoluteNoPath?.form == .absolute)
        #expect(absoluteNoPath?.rawPath == "")
        let asterisk = parseHead("OPTIONS * HTTP/1.1\nHost: h\n\n".crlf)
        #expect(asterisk?.form == .asterisk)
        #expect(asterisk?.rawPath == "*")
        let authority = parseHead("CONNECT example.com:443 HTTP/1.1\nHost: example.com:443\n\n".crlf)
        #expect(authority?.form == .authority)
        #expect(authority?.rawPath == "example.com:443")
        let fragment = parseHead("GET /a#frag?q HTTP/1.1\nHost: h\n\n".crlf)
        #expect(fragment?.rawPath == "/a#frag")
        #expect(fragment?.query == "q")
        let emptyQuery = parseHead("GET /a? HTTP/1.1\nHost: h\n\n".crlf)
        #expect(emptyQuery?.rawPath == "/a")
        #expect(emptyQuery?.query == "")
    }

    @Test func decodedPath() throws {
        var parser = HTTP1RequestParser()
        let request = Array("GET /a%20b/%2Fc+d%zz%4 HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        let result = request.withUnsafeBytes { parser.parse($0) }
        #expect(result.event == .head)
        #expect(parser.head.decodedPath == Array("/a b//c+d%zz%4".utf8))
    }
}

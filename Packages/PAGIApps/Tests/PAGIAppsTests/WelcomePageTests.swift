import Testing

@testable import PAGIApps

@Suite("WelcomePage")
struct WelcomePageTests {
    @Test(
        "uptime drops leading zero units",
        arguments: [(Int64(0), "0s"), (59, "59s"), (65, "1m 05s"), (3725, "1h 02m 05s"), (90061, "1d 01h 01m 01s"), (-5, "0s")]
    )
    func uptime(seconds: Int64, expected: String) {
        #expect(WelcomePage.formatUptime(seconds: seconds) == expected)
    }

    @Test("HTML escaping covers the five special characters")
    func escape() {
        #expect(WelcomePage.escape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(WelcomePage.escape("plain ✓") == "plain ✓")
    }
}

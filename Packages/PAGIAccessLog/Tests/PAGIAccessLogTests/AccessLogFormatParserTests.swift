import Testing

@testable import PAGIAccessLog

@Suite("AccessLogFormatParser")
struct AccessLogFormatParserTests {
    @Test("literal text and %% fold into one literal")
    func literalsMerge() throws {
        let format = try AccessLogFormat(format: "a %% b")
        #expect(format.components == [.literal("a % b")])
    }

    @Test("every single-letter atom compiles to its atom")
    func singleLetterAtoms() throws {
        let letters = "halApuUtrmqHsbBIOdDTPkX"
        for letter in letters {
            let format = try AccessLogFormat(format: "%\(letter)")
            #expect(format.atoms.count == 1, "%\(letter)")
            #expect(format.normalized == (letter == "a" ? "%a" : "%\(letter)"))
        }
    }

    @Test("braced atoms: request/response headers, time formats and epoch variants")
    func bracedAtoms() throws {
        let format = try AccessLogFormat(
            format: "%{Referer}i %{ETag}o %{%Y}t %{sec}t %{msec}t %{usec}t %{msec_frac}t %{usec_frac}t"
        )
        #expect(
            format.atoms == [
                .requestHeader("Referer"), .responseHeader("ETag"), .formattedTime("%Y"), .epochSeconds,
                .epochMilliseconds, .epochMicroseconds, .millisecondFraction, .microsecondFraction,
            ]
        )
    }

    @Test("%>s and %<s mean %s")
    func statusModifiers() throws {
        #expect(try AccessLogFormat(format: "%>s %<s").atoms == [.status, .status])
        #expect(try AccessLogFormat(format: "%>s").normalized == "%s")
    }

    @Test("a lone % before a non-s modifier target is an unknown atom")
    func modifierWithoutStatus() {
        let error = compileError("%>b")
        #expect(error?.code == .unknownAtom)
        #expect(error?.text == "%>")
        #expect(error?.column == 1)
    }

    @Test("unknown atom reports column and text")
    func unknownAtom() {
        let error = compileError(#"%h - - [%t] "%Z""#)
        #expect(error?.code == .unknownAtom)
        #expect(error?.column == 14)
        #expect(error?.text == "%Z")
        #expect(error?.description.hasPrefix("unknown atom '%Z' at column 14") == true)
    }

    @Test("unknown atom with a non-ASCII letter reports the whole scalar, columns count scalars")
    func unknownNonASCIIAtom() {
        let error = compileError("é %é")
        #expect(error?.code == .unknownAtom)
        #expect(error?.column == 3)
        #expect(error?.text == "%é")
    }

    @Test("unknown selector after %{…}")
    func unknownSelector() {
        let error = compileError("x %{Referer}z")
        #expect(error?.code == .unknownAtom)
        #expect(error?.column == 3)
        #expect(error?.text == "%{Referer}z")
    }

    @Test("unterminated %{")
    func unterminated() {
        let error = compileError("%h %{Referer")
        #expect(error?.code == .unterminatedArgument)
        #expect(error?.column == 4)
        #expect(error?.text == "%{Referer")
        #expect(error?.description.hasPrefix("unterminated '%{' at column 4") == true)
    }

    @Test("missing selector at the end and before a non-letter")
    func missingSelector() {
        let atEnd = compileError("%h %{Referer}")
        #expect(atEnd?.code == .missingSelector)
        #expect(atEnd?.column == 4)
        #expect(atEnd?.text == "%{Referer}")
        #expect(atEnd?.description.hasPrefix("missing selector after '%{Referer}' at column 4") == true)
        let beforeSpace = compileError("%{Referer} %h")
        #expect(beforeSpace?.code == .missingSelector)
        #expect(beforeSpace?.column == 1)
    }

    @Test("dangling % at the end is an error (the reference drops it silently)")
    func danglingPercent() {
        let error = compileError("%h %")
        #expect(error?.code == .danglingPercent)
        #expect(error?.column == 4)
        #expect(error?.text == "%")
        #expect(error?.description.hasPrefix("dangling '%' at column 4") == true)
        #expect(compileError("%h %%") == nil)
    }

    @Test("empty argument in %{}i")
    func emptyArgument() {
        let error = compileError("%{}i")
        #expect(error?.code == .emptyArgument)
        #expect(error?.column == 1)
        #expect(error?.text == "%{}i")
    }

    @Test("only the first mistake is reported")
    func firstMistakeWins() {
        #expect(compileError("%Q %Z")?.text == "%Q")
    }

    @Test("normalised format recompiles to the same components")
    func normalisedRoundTrip() throws {
        for source in [#"100%% "%r" %{user-agent}i %>s %{%d %b}t"#, "plain", "%%%%"] {
            let format = try AccessLogFormat(format: source)
            let again = try AccessLogFormat(format: format.normalized)
            #expect(again.components == format.components, "\(source)")
        }
    }
}

import Testing

@testable import PAGIAccessLog

@Suite("AccessLogFormat")
struct AccessLogFormatTests {
    @Test("presets are the reference strings", arguments: AccessLogPreset.allCases)
    func presetStrings(_ preset: AccessLogPreset) throws {
        let expected: [AccessLogPreset: String] = [
            .clf: #"%h - - [%t] "%m %U%q" %s %ds"#,
            .combined: #"%h - - [%t] "%r" %s %b "%{Referer}i" "%{User-Agent}i""#,
            .common: #"%h - - [%t] "%r" %s %b"#,
            .tiny: "%m %U%q %s %Dms",
        ]
        #expect(preset.format == expected[preset])
        let byName = try AccessLogFormat(preset.rawValue)
        #expect(byName.preset == preset)
        #expect(byName.normalized == preset.format)
        #expect(byName == AccessLogFormat(preset: preset))
    }

    @Test("the default is clf")
    func defaultIsClf() {
        #expect(AccessLogPreset.default == .clf)
        #expect(AccessLogFormat.default.preset == .clf)
    }

    @Test("a string that is not a preset name is a format")
    func nonPresetIsFormat() throws {
        let format = try AccessLogFormat("Combined")
        #expect(format.preset == nil)
        #expect(format.components == [.literal("Combined")])
    }

    @Test("init(format:) never looks up presets")
    func formatInitSkipsPresets() throws {
        #expect(try AccessLogFormat(format: "tiny").components == [.literal("tiny")])
    }

    @Test("a literal % is doubled in the normalised form")
    func normalisedDoublesPercent() throws {
        #expect(try AccessLogFormat(format: "100%% %s").normalized == "100%% %s")
        #expect(try AccessLogFormat(format: "100%% %s").description == "100%% %s")
    }

    @Test("the atom catalogue lists every atom kind once, each compiling back from its syntax")
    func catalogue() throws {
        #expect(AccessLogAtom.catalogue.count == 31)
        for atom in AccessLogAtom.catalogue {
            #expect(try AccessLogFormat(format: atom.syntax).atoms == [atom])
            #expect(!atom.summary.isEmpty)
        }
        #expect(Set(AccessLogAtom.catalogue.map(\.fieldName)).count == AccessLogAtom.catalogue.count)
    }
}

import ArgumentParser
import PAGIAccessLog

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compile a format and print it normalised.",
        discussion: """
            On success prints the normalised format (presets expanded, atoms in canonical spelling, \
            literal % doubled) and exits 0. On failure prints the error, the format and a caret \
            under the offending column to stderr and exits 1.
            """
    )

    @OptionGroup var format: FormatArgument

    func run() throws {
        Standard.output(try self.format.compile().normalized)
    }
}

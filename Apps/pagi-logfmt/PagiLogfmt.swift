// The pagi-logfmt tool: check, render and parse access-log formats from the command line.
// A thin shell over PAGIAccessLog; everything it prints comes from the library's types.

import ArgumentParser
import Foundation

@main
struct PagiLogfmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pagi-logfmt",
        abstract: "Check, render and parse PAGI access-log formats.",
        discussion: """
            FORMAT is a preset name (clf, combined, common, tiny) or an Apache-style format string \
            such as '%h - - [%t] "%r" %s %b'. `pagi-logfmt atoms` lists the atoms.

            Exit status: 0 on success; 1 for invalid input (a format that does not compile, a log \
            line that does not match, an unreadable file); 2 for a usage error (unknown option, \
            missing argument, bad --set value). swift-argument-parser's default for usage errors \
            is 64 (EX_USAGE); this tool maps it to 2, the convention of POSIX utilities.
            """,
        subcommands: [CheckCommand.self, RenderCommand.self, ParseCommand.self, AtomsCommand.self, PresetsCommand.self]
    )

    /// The status for usage errors (see the discussion above).
    static let usageExitCode: Int32 = 2

    static func main() {
        do {
            var command = try self.parseAsRoot()
            try command.run()
        } catch {
            if self.exitCode(for: error) == .validationFailure {
                Standard.error(self.fullMessage(for: error))
                Foundation.exit(self.usageExitCode)
            }
            self.exit(withError: error)
        }
    }
}

/// Writes to the standard streams without buffering surprises between stdout and stderr.
enum Standard {
    static func output(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

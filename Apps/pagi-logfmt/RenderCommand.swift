import ArgumentParser
import PAGIAccessLog

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render one log line from a sample request.",
        discussion: """
            The built-in sample is a GET of /index.html?lang=en over HTTP/1.1 from 127.0.0.1, \
            status 200, 1024 body bytes, started 22/Nov/2026:03:34:43 +0000, taking 12.345 ms. \
            Change any fact with --set KEY=VALUE (repeatable). Keys:

            \(SampleRequest.keyHelp)

            A bad key or value is a usage error (status 2).
            """
    )

    @OptionGroup var format: FormatArgument

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override one fact of the sample request.", valueName: "key=value")
    )
    var settings: [String] = []

    func validate() throws {
        _ = try self.request()
    }

    func run() throws {
        let format = try self.format.compile()
        Standard.output(format.renderString(try self.request().entry))
    }

    private func request() throws -> SampleRequest {
        var request = SampleRequest()
        for setting in self.settings {
            guard let equals = setting.firstIndex(of: "=") else {
                throw ValidationError("--set '\(setting)' is not KEY=VALUE; write for example --set status=404")
            }
            let key = String(setting[..<equals])
            let value = String(setting[setting.index(after: equals)...])
            do {
                try request.set(key, to: value)
            } catch {
                throw ValidationError("--set \(setting): \(error)")
            }
        }
        return request
    }
}

import Testing

import PAGIPrefork

/// Keeps the README snippet compiling against the public API (the part that runs processes is compiled, not run).
@Suite struct DocumentationExampleTests {
    @Test func readmeStateMachineSnippet() {
        var machine = GenerationSupervisorStateMachine(configuration: .init(readiness: .alive(after: .seconds(1))))
        let start = ContinuousClock.now
        for action in machine.start(now: start) {
            if case .spawn(let generation) = action {
                _ = machine.spawned(pid: 4242, generation: generation, now: start)
            }
        }
        let actions = machine.tick(now: start + .seconds(1))
        #expect(actions == [.writeStatus([GenerationSupervisorStateMachine.Child(pid: 4242, generation: 1)])])
    }

    func readmeServerStarterSnippet() throws -> Int32 {
        var configuration = ServerStarterConfiguration()
        configuration.ports = [try ServerStarterConfiguration.Port(parsing: "127.0.0.1:8080")]
        configuration.command = ["plackup", "-s", "Starlet", "app.psgi"]
        return try ServerStarter.run(configuration)
    }

    @Test func portSpecsParseWithPlacementAndRejectGarbage() throws {
        let placed = try ServerStarterConfiguration.Port(parsing: "127.0.0.1:8080=5")
        #expect(placed.descriptor == 5)
        #expect("\(placed.spec)" == "127.0.0.1:8080")
        #expect("\(try ServerStarterConfiguration.Port(parsing: "u53").spec)" == "53")
        #expect(throws: ServerStarterError.self) { try ServerStarterConfiguration.Port(parsing: "8080=x") }
        #expect(throws: ServerStarterError.self) { try ServerStarterConfiguration.Port(parsing: "/tmp/a.sock") }
        #expect(throws: ServerStarterError.self) { try ServerStarterConfiguration.Port(parsing: "host:") }
    }

    @Test func logDestinationRecognisesPipes() {
        #expect(ServerStarterConfiguration.LogDestination(parsing: "/var/log/app.log") == .file("/var/log/app.log"))
        #expect(ServerStarterConfiguration.LogDestination(parsing: " | logger -t app") == .command("logger -t app"))
    }
}

// Feeds arbitrary text to every parser of PAGIFDInheritance and checks the invariants a caller
// relies on: no crash, no trap, and whatever parses renders back to text that parses to the same
// value (so a supervisor and its child always agree on a listener).
//
// Input layout: the first byte picks the parser, the rest is the text (lossy UTF-8).

import PAGIFDInheritance

/// libFuzzer's driver, for builds where SwiftPM names the executable's entry point itself.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links executables with `main` aliased to `<module>_main`, which `-parse-as-library`
/// leaves undefined; defining it here and handing control to libFuzzer's driver keeps the
/// standard fuzzer command line (corpus dirs, -max_total_time, …) working.
@_cdecl("FuzzFDInheritanceParsers_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv) { start, count in fuzz(start, count) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    guard let selector = bytes.first else { return 0 }
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    switch selector % 5 {
    case 0: checkServerStarterPort(text)
    case 1: checkPAGIReuse(text)
    case 2: checkListenerSpec(text, syntax: .serverStarter)
    case 3: checkListenerSpec(text, syntax: .listenOption)
    default: checkSystemd(text)
    }
    return 0
}

private func checkServerStarterPort(_ text: String) {
    guard let entries = try? ServerStarterPort.parse(text) else { return }
    guard let rendered = try? ServerStarterPort.render(entries) else {
        preconditionFailure("parsed SERVER_STARTER_PORT '\(text)' but cannot render \(entries)")
    }
    guard let again = try? ServerStarterPort.parse(rendered), again == entries else {
        preconditionFailure("SERVER_STARTER_PORT '\(text)' → \(entries) → '\(rendered)' does not parse back")
    }
}

private func checkPAGIReuse(_ text: String) {
    guard let entries = try? PAGIReuse.parse(text) else { return }
    guard let rendered = try? PAGIReuse.render(entries) else {
        preconditionFailure("parsed PAGI_REUSE '\(text)' but cannot render \(entries)")
    }
    guard let again = try? PAGIReuse.parse(rendered), again == entries else {
        preconditionFailure("PAGI_REUSE '\(text)' → \(entries) → '\(rendered)' does not parse back")
    }
}

private func checkListenerSpec(_ text: String, syntax: ListenerSpec.Syntax) {
    guard let spec = try? ListenerSpec(parsing: text, syntax: syntax) else { return }
    if case .udp = spec { return }  // the description drops the `u` marker by design
    guard let again = try? ListenerSpec(parsing: spec.description, syntax: syntax), again == spec else {
        preconditionFailure("listener '\(text)' → \(spec) → '\(spec.description)' does not parse back")
    }
}

private func checkSystemd(_ text: String) {
    let parts = text.split(separator: "\u{0}", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    let fds = parts.count > 0 ? parts[0] : nil
    let pid = parts.count > 1 ? parts[1] : nil
    let names = parts.count > 2 ? parts[2] : nil
    guard let entries = try? SystemdSocketActivation.parse(listenFDs: fds, listenPID: pid, listenFDNames: names, processID: 4242),
        !entries.isEmpty
    else { return }
    let expectedNames = entries.compactMap(\.name)
    guard
        let environment = try? SystemdSocketActivation.environment(
            descriptorCount: entries.count,
            names: expectedNames.isEmpty ? nil : expectedNames,
            processID: 4242
        ),
        let again = try? SystemdSocketActivation.parse(
            listenFDs: environment["LISTEN_FDS"],
            listenPID: environment["LISTEN_PID"],
            listenFDNames: environment["LISTEN_FDNAMES"],
            processID: 4242
        ),
        again == entries
    else {
        // Names longer than 255 bytes parse (systemd does not cap them on input) but cannot be rendered.
        if expectedNames.contains(where: { $0.utf8.count > 255 }) { return }
        preconditionFailure("LISTEN_* \(parts) → \(entries) does not render and parse back")
    }
}

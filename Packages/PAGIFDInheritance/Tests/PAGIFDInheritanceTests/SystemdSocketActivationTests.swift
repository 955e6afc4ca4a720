import Glibc
import PAGIFDInheritance
import Testing

@Suite struct SystemdSocketActivationTests {
    @Test func descriptorsStartAtThree() throws {
        let entries = try SystemdSocketActivation.parse(listenFDs: "2", listenPID: "42", listenFDNames: nil, processID: 42)
        #expect(entries == [.init(descriptor: 3, name: nil), .init(descriptor: 4, name: nil)])
    }

    @Test func namesAreAttached() throws {
        let entries = try SystemdSocketActivation.parse(listenFDs: "3", listenPID: "7", listenFDNames: "web:admin:", processID: 7)
        #expect(entries == [.init(descriptor: 3, name: "web"), .init(descriptor: 4, name: "admin"), .init(descriptor: 5, name: "")])
    }

    @Test func anotherProcessesDescriptorsAreIgnored() throws {
        #expect(try SystemdSocketActivation.parse(listenFDs: "1", listenPID: "41", listenFDNames: nil, processID: 42).isEmpty)
    }

    @Test func absentVariablesMeanNothingInherited() throws {
        #expect(try SystemdSocketActivation.parse(listenFDs: nil, listenPID: nil, listenFDNames: nil, processID: 1).isEmpty)
        #expect(try SystemdSocketActivation.parse(listenFDs: "1", listenPID: nil, listenFDNames: nil, processID: 1).isEmpty)
        #expect(try SystemdSocketActivation.parse(listenFDs: nil, listenPID: "1", listenFDNames: nil, processID: 1).isEmpty)
    }

    @Test(arguments: [
        ("1", "x", nil, "LISTEN_PID entry 'x'"),
        ("1", "", nil, "LISTEN_PID entry ''"),
        ("0", "9", nil, "LISTEN_FDS entry '0'"),
        ("-1", "9", nil, "LISTEN_FDS entry '-1'"),
        ("two", "9", nil, "LISTEN_FDS entry 'two'"),
        ("2147483645", "9", nil, "LISTEN_FDS entry '2147483645'"),
        ("2", "9", "web", "LISTEN_FDNAMES entry 'web'"),
        ("1", "9", "a:b", "LISTEN_FDNAMES entry 'a:b'"),
    ] as [(String, String, String?, String)])
    func rejectsMalformedValuesNamingThem(fds: String, pid: String, names: String?, mention: String) {
        #expect {
            try SystemdSocketActivation.parse(listenFDs: fds, listenPID: pid, listenFDNames: names, processID: 9)
        } throws: { error in
            guard let error = error as? FDInheritanceError else { return false }
            return error.code == .malformedEnvironmentEntry && error.description.contains(mention)
        }
    }

    @Test func countIsBoundedByTheOpenFilesLimit() throws {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        let open = Int(min(limit.rlim_cur, 1_000_000))
        let largest = try SystemdSocketActivation.parse(listenFDs: String(open - 3), listenPID: "9", listenFDNames: nil, processID: 9)
        #expect(largest.count == open - 3)
        #expect(largest.last?.descriptor == Int32(open - 1))
        #expect {
            try SystemdSocketActivation.parse(listenFDs: String(open - 2), listenPID: "9", listenFDNames: nil, processID: 9)
        } throws: { error in
            (error as? FDInheritanceError)?.description.contains("exceed the open-files limit of \(open)") ?? false
        }
    }

    @Test func environmentRoundTrips() throws {
        let environment = try SystemdSocketActivation.environment(descriptorCount: 2, names: ["web", "admin"], processID: 1234)
        #expect(environment == ["LISTEN_FDS": "2", "LISTEN_PID": "1234", "LISTEN_FDNAMES": "web:admin"])
        let entries = try SystemdSocketActivation.parse(
            listenFDs: environment["LISTEN_FDS"],
            listenPID: environment["LISTEN_PID"],
            listenFDNames: environment["LISTEN_FDNAMES"],
            processID: 1234
        )
        #expect(entries == [.init(descriptor: 3, name: "web"), .init(descriptor: 4, name: "admin")])
    }

    @Test func environmentWithoutNamesOmitsTheVariable() throws {
        #expect(try SystemdSocketActivation.environment(descriptorCount: 1, processID: 5) == ["LISTEN_FDS": "1", "LISTEN_PID": "5"])
    }

    @Test func environmentRejectsWhatTheFormatCannotCarry() {
        #expect(throws: FDInheritanceError.self) { try SystemdSocketActivation.environment(descriptorCount: 0, processID: 5) }
        #expect(throws: FDInheritanceError.self) { try SystemdSocketActivation.environment(descriptorCount: 2, names: ["a"], processID: 5) }
        #expect(throws: FDInheritanceError.self) { try SystemdSocketActivation.environment(descriptorCount: 1, names: ["a:b"], processID: 5) }
        #expect(throws: FDInheritanceError.self) {
            try SystemdSocketActivation.environment(descriptorCount: 1, names: [String(repeating: "n", count: 256)], processID: 5)
        }
        #expect(throws: Never.self) {
            _ = try SystemdSocketActivation.environment(descriptorCount: 1, names: [String(repeating: "n", count: 255)], processID: 5)
        }
    }
}

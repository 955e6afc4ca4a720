// swift-tools-version:6.2
//
// libFuzzer target for PAGIHTTP1. Build and run through Scripts/fuzz/http1.sh (`make fuzz-http1`):
//   swift build -c release --package-path Packages/PAGIHTTP1/Fuzz \
//       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// Crashers found go to FailCases/ and are replayed as regressions by the script.
import PackageDescription

let package = Package(
    name: "PAGIHTTP1Fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzHTTP1",
            dependencies: [.product(name: "PAGIHTTP1", package: "PAGIHTTP1")],
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        )
    ]
)

// swift-tools-version:6.2
//
// libFuzzer target for PAGIApps: drives the public `static` and `echo` apps with arbitrary request
// paths, headers and bodies and checks their invariants. Build and run through Scripts/fuzz/apps.sh
// (`make fuzz-apps`):
//   swift build -c release --package-path Packages/PAGIApps/Fuzz \
//       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// Crashers found go to FailCases/ and are replayed as regressions by the script.
import PackageDescription

let package = Package(
    name: "PAGIAppsFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(path: "../../PAGI"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "FuzzApps",
            dependencies: [
                .product(name: "PAGIApps", package: "PAGIApps"),
                .product(name: "PAGI", package: "PAGI"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        )
    ]
)

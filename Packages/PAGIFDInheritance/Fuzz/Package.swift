// swift-tools-version:6.2
// libFuzzer target for PAGIFDInheritance's environment and listener-spec parsers. Build with
// `-sanitize=fuzzer,address` (see Scripts/fuzz/fdinheritance.sh); not part of the main build.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PAGIFDInheritanceFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "PAGIFDInheritance", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzFDInheritanceParsers",
            dependencies: [.product(name: "PAGIFDInheritance", package: "PAGIFDInheritance")],
            swiftSettings: swiftSettings
        )
    ]
)

// swift-tools-version:6.2
// libFuzzer target for PAGITLS: arbitrary bytes from a "client" into TLSServerHandler. Build with
// `-sanitize=fuzzer,address` (see Scripts/fuzz/tls.sh); not part of the main build.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PAGITLSFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "PAGITLS", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "FuzzTLSServerHandler",
            dependencies: [
                .product(name: "PAGITLS", package: "PAGITLS"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        )
    ]
)

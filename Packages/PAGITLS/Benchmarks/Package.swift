// swift-tools-version:6.2
// Benchmark server for PAGITLS: a minimal HTTP/1.1 "Hello, World!" responder behind TLSServerHandler, so
// Scripts/bench/tls.sh can measure handshakes/s, keep-alive requests/s and bulk MB/s against nginx with the
// same certificate. Not part of the main build.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PAGITLSBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "PAGITLS", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "TLSHelloServer",
            dependencies: [
                .product(name: "PAGITLS", package: "PAGITLS"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        )
    ]
)

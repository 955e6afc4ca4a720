// swift-tools-version:6.2
// Benchmark servers for PAGITLS: a minimal HTTP/1.1 "Hello, World!" responder behind TLSServerHandler
// (TLSHelloServer) or behind swift-nio-ssl (NIOSSLHelloServer), so Scripts/bench/tls.sh can measure
// handshakes/s, keep-alive requests/s and bulk MB/s against nginx — and, with COMPARE_NIOSSL=1, swift-nio-ssl —
// with the same certificate. Not part of the main build.
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
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
    ],
    targets: [
        .target(
            name: "BenchmarkHTTP",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "TLSHelloServer",
            dependencies: [
                "BenchmarkHTTP",
                .product(name: "PAGITLS", package: "PAGITLS"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "NIOSSLHelloServer",
            dependencies: [
                "BenchmarkHTTP",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

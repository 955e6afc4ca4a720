// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PAGIServer",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PAGIServer", targets: ["PAGIServer"]),
        .library(name: "PAGIServerCLI", targets: ["PAGIServerCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(path: "../PAGI"),
        .package(path: "../PAGIHTTP1"),
        .package(path: "../PAGIAccessLog"),
        .package(path: "../PAGILifespan"),
        .package(path: "../PAGITLS"),
        .package(path: "../PAGIWebSocket"),
        .package(path: "../PAGIFDInheritance"),
        .package(path: "../PAGIPrefork"),
    ],
    targets: [
        .target(
            name: "PAGIServer",
            dependencies: [
                .product(name: "PAGI", package: "PAGI"),
                .product(name: "PAGIHTTP1", package: "PAGIHTTP1"),
                .product(name: "PAGIAccessLog", package: "PAGIAccessLog"),
                .product(name: "PAGILifespan", package: "PAGILifespan"),
                .product(name: "PAGITLS", package: "PAGITLS"),
                .product(name: "PAGIWebSocket", package: "PAGIWebSocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PAGIServerCLI",
            dependencies: [
                "PAGIServer",
                .product(name: "PAGI", package: "PAGI"),
                .product(name: "PAGITLS", package: "PAGITLS"),
                .product(name: "PAGIFDInheritance", package: "PAGIFDInheritance"),
                .product(name: "PAGIPrefork", package: "PAGIPrefork"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PAGIServerTests",
            dependencies: [
                "PAGIServer",
                "PAGIServerCLI",
                .product(name: "PAGI", package: "PAGI"),
                .product(name: "PAGIHTTP1", package: "PAGIHTTP1"),
                .product(name: "PAGIAccessLog", package: "PAGIAccessLog"),
                .product(name: "PAGITLS", package: "PAGITLS"),
                .product(name: "PAGIWebSocket", package: "PAGIWebSocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

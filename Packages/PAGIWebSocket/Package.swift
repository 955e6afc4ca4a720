// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PAGIWebSocket",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PAGIWebSocket", targets: ["PAGIWebSocket"])
    ],
    targets: [
        .systemLibrary(
            name: "CPAGIZlib",
            path: "Sources/CPAGIZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "PAGIWebSocket", dependencies: ["CPAGIZlib"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PAGIWebSocketTests",
            dependencies: ["PAGIWebSocket", "CPAGIZlib"],
            swiftSettings: swiftSettings
        ),
    ]
)

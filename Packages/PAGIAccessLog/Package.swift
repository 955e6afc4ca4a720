// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PAGIAccessLog",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PAGIAccessLog", targets: ["PAGIAccessLog"])
    ],
    targets: [
        .target(name: "PAGIAccessLog", swiftSettings: swiftSettings),
        .testTarget(name: "PAGIAccessLogTests", dependencies: ["PAGIAccessLog"], swiftSettings: swiftSettings),
    ]
)

// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PAGIHTTP1",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PAGIHTTP1", targets: ["PAGIHTTP1"])
    ],
    targets: [
        .target(name: "PAGIHTTP1", swiftSettings: swiftSettings),
        .testTarget(name: "PAGIHTTP1Tests", dependencies: ["PAGIHTTP1"], swiftSettings: swiftSettings),
    ]
)

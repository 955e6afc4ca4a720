// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PAGIPrefork",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PAGIPrefork", targets: ["PAGIPrefork"]),
        // A tiny HTTP child for the interop tests (Perl start_server driving a Swift server); not an app.
        .executable(name: "pagi-prefork-fixture", targets: ["pagi-prefork-fixture"]),
    ],
    dependencies: [
        .package(path: "../PAGIFDInheritance")
    ],
    targets: [
        .target(
            name: "PAGIPrefork",
            dependencies: [.product(name: "PAGIFDInheritance", package: "PAGIFDInheritance")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "pagi-prefork-fixture",
            dependencies: [.product(name: "PAGIFDInheritance", package: "PAGIFDInheritance")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "PAGIPreforkTests", dependencies: ["PAGIPrefork"], swiftSettings: swiftSettings),
    ]
)

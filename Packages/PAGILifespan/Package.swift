// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PAGILifespan",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PAGILifespan", targets: ["PAGILifespan"])
    ],
    dependencies: [
        .package(path: "../PAGI")
    ],
    targets: [
        .target(
            name: "PAGILifespan",
            dependencies: [.product(name: "PAGI", package: "PAGI")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PAGILifespanTests",
            dependencies: ["PAGILifespan", .product(name: "PAGI", package: "PAGI")],
            swiftSettings: swiftSettings
        ),
    ]
)

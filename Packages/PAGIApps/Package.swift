// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PAGIApps",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PAGIApps", targets: ["PAGIApps"])
    ],
    dependencies: [
        .package(path: "../PAGI"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .target(
            name: "PAGIApps",
            dependencies: [
                .product(name: "PAGI", package: "PAGI"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PAGIAppsTests",
            dependencies: [
                "PAGIApps",
                .product(name: "PAGI", package: "PAGI"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

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
        .library(name: "PAGIPrefork", targets: ["PAGIPrefork"])
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
        .testTarget(name: "PAGIPreforkTests", dependencies: ["PAGIPrefork"], swiftSettings: swiftSettings),
    ]
)

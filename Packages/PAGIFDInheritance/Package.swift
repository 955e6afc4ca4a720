// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PAGIFDInheritance",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PAGIFDInheritance", targets: ["PAGIFDInheritance"]),
        // A tiny child program for tests: finds its listeners through this package and serves one
        // connection on each. Not an app; it exists so tests can prove a real exec'd child works.
        .executable(name: "pagi-fd-probe", targets: ["pagi-fd-probe"]),
    ],
    targets: [
        .target(name: "PAGIFDInheritance", swiftSettings: swiftSettings),
        .executableTarget(name: "pagi-fd-probe", dependencies: ["PAGIFDInheritance"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PAGIFDInheritanceTests",
            dependencies: ["PAGIFDInheritance", "pagi-fd-probe"],
            swiftSettings: swiftSettings
        ),
    ]
)

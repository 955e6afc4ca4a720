// swift-tools-version:6.2
// An application package that embeds the PAGI server: `swift run hello-embedded --port 8080`
// gives the whole pagi-server command line (flags, --help, signals) around its own app.
import PackageDescription

let package = Package(
    name: "hello-embedded",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../../../Packages/PAGI"),
        .package(path: "../../../Packages/PAGIServer"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "hello-embedded",
            dependencies: [
                .product(name: "PAGI", package: "PAGI"),
                .product(name: "PAGIServer", package: "PAGIServer"),
                .product(name: "PAGIServerCLI", package: "PAGIServer"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)

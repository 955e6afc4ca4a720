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
    ],
    targets: [
        .executableTarget(
            name: "hello-embedded",
            dependencies: [
                .product(name: "PAGI", package: "PAGI"),
                .product(name: "PAGIServer", package: "PAGIServer"),
                .product(name: "PAGIServerCLI", package: "PAGIServer"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)

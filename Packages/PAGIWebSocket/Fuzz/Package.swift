// swift-tools-version:6.2
// libFuzzer target for PAGIWebSocket's inbound path (frame parser, assembler, UTF-8, inflate) and
// the extension-header parser. Build and run through Scripts/fuzz/websocket.sh.
import PackageDescription

let package = Package(
    name: "PAGIWebSocketFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzWebSocket",
            dependencies: [.product(name: "PAGIWebSocket", package: "PAGIWebSocket")],
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        )
    ]
)

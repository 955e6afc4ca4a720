// swift-tools-version:6.2
//
// Benchmark executables that compare our packages with their SwiftNIO counterparts in one process.
// They live here, not in the packages, so PAGIHTTP1/PAGIWebSocket/PAGIAccessLog keep zero
// dependencies. Run them through `make bench-NAME` (Scripts/bench/NAME.sh), always in release.

import PackageDescription
import Foundation

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// A benchmark executable and the workspace packages and SwiftNIO products it measures.
struct Benchmark {
    var name: String
    var packages: [String]
    var nioProducts: [String]
}

let benchmarks = [
    Benchmark(name: "bench-http1", packages: ["PAGIHTTP1"], nioProducts: ["NIOCore", "NIOHTTP1", "NIOEmbedded"]),
    Benchmark(name: "bench-websocket", packages: ["PAGIWebSocket"], nioProducts: ["NIOCore", "NIOWebSocket", "NIOEmbedded"]),
    Benchmark(name: "bench-accesslog", packages: ["PAGIAccessLog"], nioProducts: []),
    Benchmark(name: "bench-websocket-echo", packages: ["PAGIWebSocket"], nioProducts: ["NIOCore", "NIOPosix"]),
]

// A benchmark whose sources or measured package do not exist yet is left out, so this package
// always resolves while packages land one at a time.
let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: here + "/" + path) }
let present = benchmarks.filter { bench in
    exists("Sources/\(bench.name)") && bench.packages.allSatisfy { exists("../../Packages/\($0)/Package.swift") }
}
let usedPackages = Set(present.flatMap(\.packages)).sorted()

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2")]
        + usedPackages.map { .package(path: "../../Packages/\($0)") },
    targets: present.map { bench in
        .executableTarget(
            name: bench.name,
            dependencies: bench.packages.map { .product(name: $0, package: $0) }
                + bench.nioProducts.map { .product(name: $0, package: "swift-nio") },
            path: "Sources/\(bench.name)",
            swiftSettings: swiftSettings
        )
    }
)

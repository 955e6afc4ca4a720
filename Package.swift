// swift-tools-version:6.2
//
// The workspace manifest: ONE build graph for every package under Packages/, the apps under Apps/
// and the black-box tests under Tests/. `make build` / `make test` use it so that SwiftNIO and every
// shared module compile once per configuration. Each Packages/<Name>/Package.swift is still a
// complete package of its own (`make check-packages` proves it); the targets below point into
// those packages' folders and must list the same dependencies.
//
// Adding a package: see Docs/architecture.md ("Adding a package").

import PackageDescription
import Foundation

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let nioEmbedded: Target.Dependency = .product(name: "NIOEmbedded", package: "swift-nio")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let serviceLifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let unixSignals: Target.Dependency = .product(name: "UnixSignals", package: "swift-service-lifecycle")

/// One module of the workspace: where it lives and what it needs.
struct Module {
    enum Kind { case library, systemLibrary, executable, test }
    var name: String
    var kind: Kind
    var path: String
    /// Our own modules this one imports.
    var dependencies: [String]
    /// Products of other packages (SwiftNIO, ArgumentParser) this one imports.
    var products: [Target.Dependency] = []
    var providers: [SystemPackageProvider] = []
    var pkgConfig: String? = nil
    var exclude: [String] = []
}

func package(_ name: String, dependencies: [String] = [], products: [Target.Dependency] = []) -> Module {
    Module(name: name, kind: .library, path: "Packages/\(name)/Sources/\(name)", dependencies: dependencies, products: products)
}

func unitTests(_ name: String, dependencies: [String], products: [Target.Dependency] = []) -> Module {
    Module(name: name + "Tests", kind: .test, path: "Packages/\(name)/Tests/\(name)Tests", dependencies: dependencies, products: products)
}

let modules: [Module] = [
    // Layer 0: the interface.
    package("PAGI", products: [nioCore]),
    unitTests("PAGI", dependencies: ["PAGI"]),

    // Layer 1: protocol and process building blocks — toolchain and system libraries only.
    package("PAGIHTTP1"),
    unitTests("PAGIHTTP1", dependencies: ["PAGIHTTP1"]),
    Module(
        name: "CPAGIZlib", kind: .systemLibrary, path: "Packages/PAGIWebSocket/Sources/CPAGIZlib",
        dependencies: [], providers: [.apt(["zlib1g-dev"])], pkgConfig: "zlib"
    ),
    package("PAGIWebSocket", dependencies: ["CPAGIZlib"]),
    unitTests("PAGIWebSocket", dependencies: ["PAGIWebSocket", "CPAGIZlib"]),
    package("PAGIAccessLog"),
    unitTests("PAGIAccessLog", dependencies: ["PAGIAccessLog"]),
    package("PAGIFDInheritance"),
    // Test helper of PAGIFDInheritance: a child that finds its sockets through the library.
    Module(name: "pagi-fd-probe", kind: .executable, path: "Packages/PAGIFDInheritance/Sources/pagi-fd-probe", dependencies: ["PAGIFDInheritance"]),
    unitTests("PAGIFDInheritance", dependencies: ["PAGIFDInheritance", "pagi-fd-probe"]),
    package("PAGIPrefork", dependencies: ["PAGIFDInheritance"]),
    // Interop-test helper of PAGIPrefork: a tiny HTTP server that takes its listeners from start_server.
    Module(name: "pagi-prefork-fixture", kind: .executable, path: "Packages/PAGIPrefork/Sources/pagi-prefork-fixture", dependencies: ["PAGIFDInheritance"]),
    unitTests("PAGIPrefork", dependencies: ["PAGIPrefork"]),
    package("PAGILifespan", dependencies: ["PAGI"]),
    unitTests("PAGILifespan", dependencies: ["PAGILifespan", "PAGI"]),

    // Layer 2: transport — SwiftNIO enters here.
    Module(
        name: "CPAGIOpenSSL", kind: .systemLibrary, path: "Packages/PAGITLS/Sources/CPAGIOpenSSL",
        dependencies: [], providers: [.apt(["libssl-dev"])], pkgConfig: "openssl"
    ),
    package("PAGITLS", dependencies: ["CPAGIOpenSSL"], products: [nioCore]),
    unitTests("PAGITLS", dependencies: ["PAGITLS", "CPAGIOpenSSL"], products: [nioCore, nioEmbedded, nioPosix]),
    package(
        "PAGIServer",
        // Only what PAGIServer imports today; PAGIFDInheritance joins when the server uses it
        // (keeps its in-progress work out of this module's build).
        dependencies: ["PAGI", "PAGIHTTP1", "PAGIAccessLog", "PAGILifespan", "PAGITLS", "PAGIWebSocket"],
        products: [nioCore, nioPosix, serviceLifecycle]
    ),
    Module(
        name: "PAGIServerCLI", kind: .library, path: "Packages/PAGIServer/Sources/PAGIServerCLI",
        dependencies: ["PAGIServer", "PAGI", "PAGITLS", "PAGIFDInheritance", "PAGIPrefork"], products: [argumentParser]
    ),
    unitTests("PAGIServer", dependencies: ["PAGIServer", "PAGIServerCLI", "PAGI", "PAGIHTTP1", "PAGIAccessLog", "PAGITLS", "PAGIWebSocket"], products: [nioCore, nioPosix, nioEmbedded, argumentParser, serviceLifecycle, logging]),

    // Layer 3: built-in apps.
    package("PAGIApps", dependencies: ["PAGI"], products: [nioCore]),
    unitTests("PAGIApps", dependencies: ["PAGIApps", "PAGI"], products: [nioCore]),

    // Layer 4: thin executables.
    Module(name: "pagi-server", kind: .executable, path: "Apps/pagi-server", dependencies: ["PAGIServer", "PAGIServerCLI", "PAGIApps", "PAGIPrefork", "PAGIFDInheritance", "PAGI"], products: [argumentParser]),
    Module(name: "start_server", kind: .executable, path: "Apps/start_server", dependencies: ["PAGIPrefork", "PAGIFDInheritance"], products: [argumentParser]),
    Module(name: "pagi-logfmt", kind: .executable, path: "Apps/pagi-logfmt", dependencies: ["PAGIAccessLog"], products: [argumentParser]),

    // The embedding example of Docs/server.md: its own package for users, built here so `make test`
    // proves it compiles against the current API without compiling SwiftNIO a second time.
    Module(
        name: "hello-embedded", kind: .executable, path: "Docs/examples/hello-embedded/Sources/hello-embedded",
        dependencies: ["PAGI", "PAGIServer", "PAGIServerCLI"], products: [serviceLifecycle, unixSignals, logging]
    ),

    // Black-box tests: run the built executables with real processes, sockets and signals.
    Module(
        name: "BlackBoxTests", kind: .test, path: "Tests/BlackBoxTests",
        dependencies: ["pagi-server", "start_server", "pagi-logfmt", "pagi-fd-probe", "pagi-prefork-fixture", "hello-embedded", "PAGIWebSocket"]
    ),
]

// Packages land one issue at a time: a module whose folder does not exist yet is left out of the
// graph together with every dependency edge that points at it, so the workspace always builds.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
let present = modules.filter { FileManager.default.fileExists(atPath: root + "/" + $0.path) }
let presentNames = Set(present.map(\.name))

let targets: [Target] = present.map { module in
    let dependencies = module.dependencies.filter(presentNames.contains).map { Target.Dependency(stringLiteral: $0) }
        + module.products
    switch module.kind {
    case .library:
        return .target(name: module.name, dependencies: dependencies, path: module.path, exclude: module.exclude, swiftSettings: swiftSettings)
    case .systemLibrary:
        return .systemLibrary(name: module.name, path: module.path, pkgConfig: module.pkgConfig, providers: module.providers)
    case .executable:
        return .executableTarget(name: module.name, dependencies: dependencies, path: module.path, swiftSettings: swiftSettings)
    case .test:
        return .testTarget(name: module.name, dependencies: dependencies, path: module.path, swiftSettings: swiftSettings)
    }
}

let products: [Product] =
    present.filter { $0.kind == .executable }.map { .executable(name: $0.name, targets: [$0.name]) }
    + present.filter { $0.kind == .library }.map { .library(name: $0.name, targets: [$0.name]) }

let package = Package(
    name: "pagi-swift",
    platforms: [.macOS(.v15)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: targets
)

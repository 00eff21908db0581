// swift-tools-version: 6.1
import PackageDescription

// Numeric targets are always compiled with optimisation: the engine's loops are unusable at
// -Onone, and tests must exercise the same code paths users run.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"])]

let package = Package(
    name: "trm-exp",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "trm-exp", targets: ["trm-exp"]),
        .library(name: "TRMModel", targets: ["TRMModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", exact: "1.5.0"),
        // The web UI's HTTP server. Its default traits pull in swift-configuration, which we do not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "TRMCore",
            dependencies: [
                .target(name: "CBLAS", condition: .when(platforms: [.linux])), "CZlib",
            ],
            swiftSettings: optimized),
        .target(name: "TRMModel", dependencies: ["TRMCore"], swiftSettings: optimized),
        .target(name: "TRMData", dependencies: ["TRMCore"], swiftSettings: optimized),
        .target(
            name: "TRMExperiment",
            dependencies: [
                "TRMCore", "TRMModel", "TRMData",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // `trm-exp serve`: the JSON API and the pages (HTML, CSS, JavaScript in Web/, shipped as resources).
        .target(
            name: "TRMServe",
            dependencies: [
                "TRMCore", "TRMData", "TRMExperiment",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Web")]),
        .executableTarget(
            name: "trm-exp",
            dependencies: [
                "TRMCore", "TRMModel", "TRMData", "TRMExperiment", "TRMServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "trm-bench",
            dependencies: [
                "TRMCore", "TRMModel", "TRMData", "TRMExperiment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimized),
        .testTarget(name: "TRMCoreTests", dependencies: ["TRMCore"]),
        .testTarget(name: "TRMModelTests", dependencies: ["TRMCore", "TRMModel"]),
        .testTarget(name: "TRMExperimentTests", dependencies: ["TRMCore", "TRMModel", "TRMData", "TRMExperiment"]),
        .testTarget(name: "TRMDataTests", dependencies: ["TRMData", "TRMCore"]),
        // The benchmark's GEMM shape lists against FLOPCount, and scripts/profile.py's grouping.
        .testTarget(name: "TRMBenchTests", dependencies: ["trm-bench", "TRMCore", "TRMModel"]),
        // Drives the built trm-exp binary end to end (it must be built first: `swift build --build-tests`).
        .testTarget(name: "TRMCLITests", dependencies: ["TRMCore", "TRMExperiment"]),
        // Starts the server on a loopback port, calls every endpoint, and loads every page in headless Chromium.
        .testTarget(
            name: "TRMServeTests",
            dependencies: [
                "TRMCore", "TRMData", "TRMExperiment", "TRMServe",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ]),
    ]
)

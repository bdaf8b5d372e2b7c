// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "baton", targets: ["baton"]),
        .library(name: "BatonEngine", targets: ["BatonEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .target(
            name: "BatonEngine",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "BatonTerminal", dependencies: ["CNcursesw"]),
        // The demos and themes, compiled in from demo/ and themes/ (the target's links to them),
        // so the one `baton` binary works from any folder; demo/fleet runs on real hosts.
        .target(
            name: "BatonBuiltIns",
            exclude: ["demo/fleet"],
            resources: [.embedInCode("demo"), .embedInCode("themes")]
        ),
        .target(
            name: "BatonConsole",
            dependencies: [
                "BatonBuiltIns",
                "BatonEngine",
                "BatonTerminal",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "baton",
            dependencies: [
                "BatonBuiltIns",
                "BatonEngine",
                "BatonConsole",
                "BatonTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "baton-bench",
            dependencies: ["BatonEngine", "BatonConsole", "BatonTerminal"],
            path: "Sources/BatonBench"
        ),
        // Resumes a run as an operator would after a crash; the crash loop kills it at random.
        .executableTarget(
            name: "crash-operator",
            dependencies: ["BatonEngine"],
            path: "Tests/CrashOperator"
        ),
        // Helpers the test targets share (counting and running processes, the leaky-secrets fixture, the manual clock,
        // loopback SSH servers); not part of Baton.
        .target(
            name: "BatonTestSupport",
            dependencies: ["BatonEngine"],
            path: "Tests/BatonTestSupport"
        ),
        .testTarget(
            name: "BatonEngineTests",
            dependencies: ["BatonEngine", "BatonTestSupport"]
        ),
        .testTarget(
            name: "BatonTerminalTests",
            dependencies: ["BatonTerminal"]
        ),
        .testTarget(
            name: "BatonConsoleTests",
            dependencies: ["BatonBuiltIns", "BatonConsole", "BatonTerminal", "BatonEngine", "BatonTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.0
import PackageDescription

// Layering (see shared design): dependencies point one way only.
//   ossfuse ─> FUSEBinding ─> OSSFileSystem ─> OSSProtocol (ObjectStore protocol) <─ OSSClient
//   ossfuse ─> OSSClient (the real ObjectStore) ─> CCurl; OSSProtocol ─> CCrypto, CLZMA;
//   OSSFileSystem ─> CMalloc (malloc_trim only)
//   ossfuse-server ─> OSSServer ─> OSSProtocol
// scripts/check-layering enforces the allowed imports.
/// One logging API for every module of the mount (swift-log): each names its logger by label; the
/// mount command bootstraps where lines go (stderr, log file or syslog) and the level (-d: debug).
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

let package = Package(
    name: "ossfuse",
    // Linux only (libfuse3's low-level API, /proc, cgroups, Glibc). SwiftPM has no way to say so;
    // this line states the API floor the code needs (Synchronization's Mutex), not a macOS port.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ossfuse", targets: ["ossfuse"]),
        .executable(name: "ossfuse-server", targets: ["ossfuse-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.70.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),  // LogHandler.log(event:)
    ],
    targets: [
        // C edges: wrapped once, never imported above the module that owns them.
        .systemLibrary(name: "CFuse3", path: "Sources/CFuse3", pkgConfig: "fuse3",
                       providers: [.apt(["libfuse3-dev"])]),
        .target(name: "CCurl", path: "Sources/CCurl",
                linkerSettings: [.linkedLibrary("curl")]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLZMA", path: "Sources/CLZMA", pkgConfig: "liblzma",
                       providers: [.apt(["liblzma-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),

        .target(name: "OSSProtocol", dependencies: ["CCrypto", "CLZMA"]),
        .target(name: "OSSClient", dependencies: ["OSSProtocol", "CCurl", logging]),
        .target(name: "OSSFileSystem", dependencies: ["OSSProtocol", "CMalloc", logging]),
        .target(name: "FUSEBinding", dependencies: ["CFuse3", "OSSFileSystem", logging]),
        .target(name: "OSSServer", dependencies: [
            "OSSProtocol", "CSQLite",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .executableTarget(name: "ossfuse", dependencies: [
            "FUSEBinding", "OSSFileSystem", "OSSClient", "OSSProtocol", logging,
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "ossfuse-server", dependencies: [
            "OSSServer", "OSSProtocol",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Shared by tests only: server process launcher, in-memory ObjectStore, mount helpers.
        .target(name: "TestSupport", dependencies: ["OSSFileSystem", "OSSClient", "OSSProtocol", logging],
                path: "Sources/TestSupport"),

        .testTarget(name: "OSSProtocolTests", dependencies: ["OSSProtocol", "TestSupport"]),
        .testTarget(name: "OSSClientTests", dependencies: ["OSSClient", "OSSProtocol", "TestSupport"]),
        .testTarget(name: "OSSServerTests", dependencies: ["OSSServer", "OSSClient", "OSSProtocol", "TestSupport"]),
        .testTarget(name: "OSSFileSystemTests", dependencies: ["OSSFileSystem", "OSSProtocol", "TestSupport"]),
        .testTarget(name: "MountTests", dependencies: ["OSSClient", "OSSFileSystem", "OSSProtocol", "TestSupport"]),
    ]
)

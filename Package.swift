// swift-tools-version: 6.2
import PackageDescription

#if os(Linux)
import Glibc
#endif

/// Our own targets build in Swift 6 mode with every warning an error;
/// dependencies are unaffected.
///
/// Nonisolated `async` functions run on their caller's executor
/// (`NonisolatedNonsendingByDefault`, SE-0461): without it each one began
/// with a switch to the generic executor, which in a request's task (the
/// connection's event loop its preferred executor) looked the preference up
/// under the task's status-record lock every time, ~260 instructions, ~52
/// times a request. Where our code meets an API compiled without the
/// feature (the closures Hummingbird's middleware and Swift Testing's traits
/// are handed, code that passes Hummingbird's body writer on), they are
/// marked `@concurrent`.
let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error), .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

/// SWITCHBOARD_WITHOUT_OTEL=1 (set by `tools/sanitizers.sh thread`) leaves the
/// OTLP exporter out: swift-otel 1.6.0 does not compile under
/// `-sanitize=thread` with Swift 6.3.1 (OTelBatchLogRecordProcessor.swift:149,
/// "sending 'logger' risks causing data races"), and no trait or per-module
/// flag avoids it. That build compiles with the condition of the same name,
/// under which `--otlp-endpoint` fails saying the exporter is not built in.
let withoutOTel = Context.environment["SWITCHBOARD_WITHOUT_OTEL"] == "1"
/// The OTel product, for the targets that export spans, unless left out.
let otel: [Target.Dependency] = withoutOTel ? [] : [.product(name: "OTel", package: "swift-otel")]
/// Our strict settings, plus the condition that compiles the exporter out.
let strictOTel: [SwiftSetting] = strict + (withoutOTel ? [.define("SWITCHBOARD_WITHOUT_OTEL")] : [])

/// How the `proxy` binary is linked on Linux: with the toolchain's lld,
/// relative relocations packed (DT_RELR) and no symbols exported. Linked as
/// before, it exported every symbol (a 4 MB dynamic symbol table the
/// dynamic loader probes at start-up) and carried 3.4 MB of relocations
/// read once at start-up, all of it resident: idle RSS 34.3-34.7 ->
/// 30.9-31.7 MB (README, Performance). DT_RELR needs glibc 2.36 to run, so
/// on older systems the binary links as before.
let leanLink: [LinkerSetting] = {
    #if os(Linux)
    var version = [CChar](repeating: 0, count: 32)
    guard confstr(Int32(_CS_GNU_LIBC_VERSION), &version, version.count) > 0 else { return [] }
    // "glibc 2.36"
    let text = String(decoding: version.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let numbers = text.split(separator: " ").last?.split(separator: ".").compactMap { Int($0) }
    guard let numbers, numbers.count >= 2, (numbers[0], numbers[1]) >= (2, 36) else { return [] }
    return [
        .unsafeFlags([
            "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic",
        ])
    ]
    #else
    return []
    #endif
}()

let package = Package(
    name: "Switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "proxy", targets: ["proxy"]),
        .executable(name: "log-replay", targets: ["log-replay"]),
        .executable(name: "stub-upstream", targets: ["stub-upstream"]),
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "SSE", targets: ["SSE"]),
        .library(name: "Convert", targets: ["Convert"]),
        .library(name: "Cassette", targets: ["Cassette"]),
        .library(name: "Proxy", targets: ["Proxy"]),
        .library(name: "Replay", targets: ["Replay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // OTLP/HTTP only: the default traits would build gRPC too, minutes more on CI.
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        // Hummingbird and AsyncHTTPClient bring these; we import them directly, so they are named.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // SHA-256 for the redactor's fingerprints and shortened tool-call ids (already in
        // the graph, through async-http-client's swift-certificates).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Already in the graph through Hummingbird; the proxy's own channel
        // handlers read its HTTP types parts.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // TLS for the proxy's own upstream client (already in the graph through
        // async-http-client).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Certificates made in tests for a TLS upstream (in the graph through async-http-client).
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        // Child processes (the tests' ChildProcess, the login's browser): Foundation's
        // Process.run in Swift 6.3.1 over-reads /proc/self/fd entries and crashes now and
        // then (swift-corelibs-foundation#5472). Its Foundation trait is not needed.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2", traits: []),
        // FilePath, in Subprocess's API.
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        .target(name: "Wire", swiftSettings: strict),
        .target(name: "SSE", dependencies: ["Wire"], swiftSettings: strict),
        .target(
            name: "Convert",
            dependencies: [
                "Wire", "SSE",
                // Tool-call ids too long for an OpenAI upstream are shortened to a prefix of their SHA-256.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .target(
            name: "Cassette",
            dependencies: [
                "Wire", "SSE", "Convert", "CLZ4", .product(name: "Crypto", package: "swift-crypto"),
                // Locks ThreadSanitizer sees (pthread mutexes; see tools/sanitizers.sh).
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict),
        // Starting a server until its port is known, for the proxy, the stub upstream and the tests.
        .target(
            name: "ServiceRunning",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Proxy",
            dependencies: [
                "Wire", "SSE", "Convert", "Cassette", "ServiceRunning",
                .product(name: "Hummingbird", package: "hummingbird"),
                // The server's child channel and its connection-state handler.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                // PKCE's code challenge is the SHA-256 of the verifier.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                // SIGHUP reloads the config.
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                // HTTP/1.1 parts as HTTPTypes' on client connections (ExchangeChannel).
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                // The upstream client decodes gzip and deflate, and speaks TLS.
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ] + otel,
            swiftSettings: strictOTel
        ),
        .target(
            name: "Replay",
            dependencies: [
                "Wire", "SSE", "Convert", "Cassette", "ServiceRunning",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "proxy",
            dependencies: [
                "Proxy", "Replay", "Cassette", "ServiceRunning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict,
            linkerSettings: leanLink
        ),
        .executableTarget(
            name: "log-replay",
            dependencies: [
                "Replay",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "stub-upstream",
            dependencies: [
                "Replay", "ServiceRunning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The conversion work of one request per client dialect, in process (tools/convert-bench.sh).
        .executableTarget(
            name: "convert-bench", dependencies: ["Convert", "Wire", "SSE"], path: "tools/convert-bench",
            swiftSettings: strict,
            // Nothing in it imports Foundation, which would bring libm (rounding) along.
            linkerSettings: [.linkedLibrary("m")]),
        // The same pass-through relay built three ways, the floor under the proxy's cost (tools/bench.sh's
        // BENCH_BASELINE_BIN; tools/relay-floor/main.swift says how).
        .executableTarget(
            name: "relay-floor",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "tools/relay-floor", swiftSettings: strict),
        // The stream checkers, apart from TestSupport so the fuzzer links them without an HTTP server.
        .target(name: "StreamCheckers", dependencies: ["Wire", "SSE", "Convert"], swiftSettings: strict),
        .target(
            name: "TestSupport",
            dependencies: [
                "StreamCheckers", "ServiceRunning",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "WireTests", dependencies: ["Wire", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SSETests", dependencies: ["SSE", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ConvertTests", dependencies: ["Convert", "Wire", "SSE", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "CassetteTests",
            dependencies: [
                "Cassette", "Convert", "Wire", "SSE", "TestSupport",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // An independent SHA-256 to check the redactor's remembered fingerprints against.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "ProxyTests",
            dependencies: [
                "Proxy", "Cassette", "Convert", "Wire", "SSE", "TestSupport", "ServiceRunning",
                // A route of the test's own on the server's event-loop connections.
                .product(name: "Hummingbird", package: "hummingbird"),
                // The stub OAuth server checks the PKCE verifier as a provider does.
                .product(name: "Crypto", package: "swift-crypto"),
                // YAMLCoreSchema is checked against Yams's own resolver.
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // The flush coalescer's tests run its loop tasks by hand; the
                // request and response encoders are held to NIO's own handlers.
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // An HTTPS upstream with a certificate made in the test.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
            ] + otel,
            swiftSettings: strictOTel
        ),
        .testTarget(
            name: "ReplayTests",
            dependencies: [
                "Replay", "Proxy", "Cassette", "Convert", "Wire", "SSE", "TestSupport", "ServiceRunning",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ]
)

// The libFuzzer targets (tools/fuzz.sh) exist only when SWITCHBOARD_FUZZ=1: libFuzzer supplies their
// `main`, so they link only with `-sanitize=fuzzer`, which the normal build does not use.
if Context.environment["SWITCHBOARD_FUZZ"] == "1" {
    package.products.append(.executable(name: "fuzz", targets: ["fuzz"]))
    package.targets.append(
        .executableTarget(
            name: "fuzz", dependencies: ["Wire", "SSE", "Convert", "Cassette", "StreamCheckers"], path: "tools/fuzz",
            exclude: ["seeds", "make-seeds.py"], swiftSettings: strict))
}

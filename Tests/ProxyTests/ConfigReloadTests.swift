import Foundation
import Logging
import NIOConcurrencyHelpers
import Proxy
import TestSupport
import Testing
import Wire

/// The running proxy takes a changed config for the next request, keeps the
/// one in force when the new one has errors, and drops nothing meanwhile.
struct ConfigReloadTests {
    /// A config file in a directory of its own, rewritten by the tests.
    struct ConfigFile {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID()).yaml").path

        func write(_ yaml: String) throws {
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    static func entry(_ id: String, modelName: String, base: String) -> String {
        """
          - model_id: \(id)
            model_name: \(modelName)
            api_base: \(base)/v1
            format: openai

        """
    }

    /// Runs `body` against a proxy serving `file`, looking at it every 100 ms.
    static func withProxy<T>(
        _ file: ConfigFile, stub: StubHTTPServer, _ body: (ProxyHarness, ProxyServer) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "reload-test")
        logger.logLevel = .critical
        let server = ProxyServer(
            config: try ProxyConfig.load(path: file.path),
            options: .init(port: 0, configPollInterval: .milliseconds(100)), logger: logger)
        return try await server.withRunning { port in try await body(ProxyHarness(port: port, stub: stub), server) }
    }

    /// Waits until `condition` holds; false if it still does not after `limit`.
    static func eventually(limit: Duration = .seconds(60), _ condition: () async throws -> Bool) async rethrows -> Bool
    {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    @Test func aChangedFileRoutesTheNextRequest() async throws {
        let file = ConfigFile()
        defer { file.remove() }
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(200, UpstreamBodies.openAICompletion)
            try file.write("models:\n" + Self.entry("alpha", modelName: "up-alpha", base: stub.baseURL))
            try await Self.withProxy(file, stub: stub) { proxy, _ in
                #expect(try await proxy.post(json: ProxyHarness.messages(model: "alpha")).status == 200)
                #expect(try await proxy.post(json: ProxyHarness.messages(model: "beta")).status == 404)

                try file.write("models:\n" + Self.entry("beta", modelName: "up-beta", base: stub.baseURL))
                let routed = try await Self.eventually {
                    try await proxy.post(json: ProxyHarness.messages(model: "beta")).status == 200
                }
                #expect(routed, "the new config was not put in force")
                #expect(stub.requests.last?.bodyText.contains(#""model":"up-beta""#) == true)
                #expect(try await proxy.post(json: ProxyHarness.messages(model: "alpha")).status == 404)
            }
        }
    }

    /// A change made after the config was read but before the reloader
    /// first looked was missed until the next change (seen as a reload test
    /// failing under load, where start-up takes long).
    @Test func aChangeWhileTheServerStartsIsTakenToo() async throws {
        let file = ConfigFile()
        defer { file.remove() }
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(200, UpstreamBodies.openAICompletion)
            try file.write("models:\n" + Self.entry("alpha", modelName: "up-alpha", base: stub.baseURL))
            var logger = Logger(label: "reload-test")
            logger.logLevel = .critical
            let loaded = try ProxyConfig.load(path: file.path)
            // Another size, so the stamp differs within the same second too.
            try file.write("models:\n" + Self.entry("beta", modelName: "up-beta-longer", base: stub.baseURL))
            let server = ProxyServer(
                config: loaded, options: .init(port: 0, configPollInterval: .milliseconds(100)), logger: logger)
            try await server.withRunning { port in
                let proxy = ProxyHarness(port: port, stub: stub)
                let routed = try await Self.eventually {
                    try await proxy.post(json: ProxyHarness.messages(model: "beta")).status == 200
                }
                #expect(routed, "the change made before the server started was not put in force")
            }
        }
    }

    @Test func aBrokenConfigIsRefusedAndTheOldOneStays() async throws {
        let file = ConfigFile()
        defer { file.remove() }
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(200, UpstreamBodies.openAICompletion)
            try file.write("models:\n" + Self.entry("alpha", modelName: "up-alpha", base: stub.baseURL))
            try await Self.withProxy(file, stub: stub) { proxy, server in
                try file.write(
                    "models:\n  - model_id: beta\n    model_name: b\n    api_base: http://x/v1\n    format: gemeni\n")
                let reloader = try #require(server.configReloader)
                guard case .refused(let error) = reloader.reload(reason: "test") else {
                    Issue.record("a config with an unknown format was put in force")
                    return
                }
                #expect(error.description.hasPrefix("\(file.path):5:"), "\(error)")
                #expect(error.description.contains("unknown format `gemeni`"))
                // The watcher sees the same file; give it a few looks too.
                try await Task.sleep(for: .milliseconds(500))
                let reply = try await proxy.post(json: ProxyHarness.messages(model: "alpha"))
                #expect(reply.status == 200, "the old config stays in force: \(reply.text)")
                #expect(try await proxy.post(json: ProxyHarness.messages(model: "beta")).status == 404)

                // Fixed, it is taken.
                try file.write("models:\n" + Self.entry("beta", modelName: "up-beta", base: stub.baseURL))
                guard case .reloaded(let config) = reloader.reload(reason: "test") else {
                    Issue.record("the fixed config was refused")
                    return
                }
                #expect(config.models.map(\.modelID) == ["beta"])
                #expect(try await proxy.post(json: ProxyHarness.messages(model: "beta")).status == 200)
                let metrics = try await proxy.send(.GET, "/metrics").text
                // The poller may have reloaded too: at least one of each
                // (a label set appears once counted).
                #expect(metrics.contains(#"switchboard_config_reloads_total{result="error"} "#), "\(metrics)")
                #expect(metrics.contains(#"switchboard_config_reloads_total{result="ok"} "#), "\(metrics)")
            }
        }
    }

    /// What the clients of the load test saw.
    final class Tally: Sendable {
        let counts = NIOLockedValueBox((passed: 0, failures: [String]()))
        let running = NIOLockedValueBox(true)
        var isRunning: Bool { running.withLockedValue { $0 } }
        func pass() { counts.withLockedValue { $0.passed += 1 } }
        func fail(_ why: String) { counts.withLockedValue { $0.failures.append(why) } }
    }

    @Test func reloadsUnderLoadFailNoRequest() async throws {
        let file = ConfigFile()
        defer { file.remove() }
        try await StubHTTPServer.withRunning { plain in
            try await StubHTTPServer.withRunning { streaming in
                plain.reply = .json(200, UpstreamBodies.openAICompletion)
                streaming.reply = .eventStream(UpstreamBodies.openAIStream)
                func config(_ version: Int) -> String {
                    "models:\n" + Self.entry("gpt", modelName: "up-\(version)", base: plain.baseURL)
                        + Self.entry("gpts", modelName: "ups-\(version)", base: streaming.baseURL)
                }
                try file.write(config(1))
                try await Self.withProxy(file, stub: plain) { proxy, _ in
                    let tally = Tally()
                    try await withThrowingTaskGroup(of: Void.self) { clients in
                        // Four clients, each pausing between requests: load enough to
                        // race a reload, not so much that the shared event loops
                        // starve the tests running beside this one on 2 cores.
                        for client in 0..<4 {
                            let stream = client % 2 == 1
                            clients.addTask {
                                while tally.isRunning {
                                    do {
                                        let reply = try await proxy.post(
                                            json: ProxyHarness.messages(model: stream ? "gpts" : "gpt", stream: stream))
                                        let complete =
                                            stream
                                            ? AnthropicStreamChecker.violations(inBytes: reply.body).isEmpty
                                                && reply.text.contains("message_stop")
                                            : reply.text.contains("Hello there")
                                        if reply.status == 200, complete {
                                            tally.pass()
                                        } else {
                                            tally.fail("\(reply.status): \(reply.text.prefix(300))")
                                        }
                                    } catch {
                                        tally.fail("\(error)")
                                    }
                                    // A breath between requests, so the load does not starve the
                                    // timing-sensitive tests that run beside this one.
                                    try? await Task.sleep(for: .milliseconds(50))
                                }
                            }
                        }
                        for version in 2...7 {
                            try file.write(config(version))
                            let taken = await Self.eventually {
                                plain.requests.last?.bodyText.contains(#""model":"up-\#(version)""#) == true
                                    && streaming.requests.last?.bodyText.contains(#""model":"ups-\#(version)""#) == true
                            }
                            #expect(taken, "version \(version) of the config was not put in force")
                            // Let it serve a while before the next rewrite.
                            try await Task.sleep(for: .milliseconds(200))
                        }
                        tally.running.withLockedValue { $0 = false }
                        try await clients.waitForAll()
                    }
                    let (passed, failures) = tally.counts.withLockedValue { ($0.passed, $0.failures) }
                    #expect(failures.isEmpty, "\(failures.count) failed, first: \(failures.prefix(3))")
                    #expect(passed >= 4 * 3, "\(passed) requests passed")
                }
            }
        }
    }
}

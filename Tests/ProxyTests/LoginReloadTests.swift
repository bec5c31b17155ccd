import Foundation
import Logging
import Proxy
import TestSupport
import Testing

/// A `proxy login` or `logout` made while the proxy runs is taken up by it,
/// with no restart or SIGHUP: the running proxy watches the logins' file as
/// it watches its config.
struct LoginReloadTests {
    @Test func aLoginAndALogoutAreTakenUpByTheRunningProxy() async throws {
        let file = ConfigReloadTests.ConfigFile()
        defer { file.remove() }
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("login-reload-\(UUID())")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = AuthStore(path: directory + "/auth.json")
        try await StubHTTPServer.withRunning { stub in
            try file.write("models:\n" + ConfigReloadTests.entry("other", modelName: "o", base: stub.baseURL))
            var logger = Logger(label: "login-reload-test")
            logger.logLevel = .critical
            let server = ProxyServer(
                config: try ProxyConfig.load(path: file.path),
                options: .init(port: 0, configPollInterval: .milliseconds(100), authStore: store), logger: logger)
            try await server.withRunning { port in
                let proxy = ProxyHarness(port: port, stub: stub)
                func listsClaudeCode() async throws -> Bool {
                    try await proxy.send(.GET, "/v1/models").text.contains(#""id":"claude-code/claude-opus-4-5""#)
                }
                #expect(try await !listsClaudeCode())

                _ = try SubscriptionLogins(store: store).loginClaudeCode(token: "sk-ant-oat01-reload-test")
                #expect(try await ConfigReloadTests.eventually { try await listsClaudeCode() }, "login not taken up")

                #expect(try SubscriptionLogins(store: store).logout(.claudeCode))
                #expect(try await ConfigReloadTests.eventually { try await !listsClaudeCode() }, "logout not taken up")
            }
        }
    }
}

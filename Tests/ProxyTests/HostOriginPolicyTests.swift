import Proxy
import TestSupport
import Testing
import Wire

/// A web page cannot use the proxy and its keys: a request from a page
/// (`Origin`) not on this machine, or addressed by a name that is not a
/// loopback one (`Host`, DNS rebinding) while the proxy listens on loopback,
/// is refused with 403 in its client's shape before anything is sent
/// upstream; SDKs, curl and Claude Code (no `Origin`, `Host: 127.0.0.1`)
/// pass untouched, and the user can allow more.
@Suite struct HostOriginPolicyTests {
    /// A chat request as a page sends it: `text/plain`, which needs no
    /// CORS preflight.
    private static let chat = Array(
        #"{"model":"gpt","messages":[{"role":"user","content":"hi"}]}"#.utf8)

    private static func postChat(
        _ proxy: ProxyHarness, path: String = "/v1/chat/completions", host: String? = nil, origin: String? = nil
    ) async throws -> ProxyHarness.Reply {
        var headers = [("content-type", "text/plain")]
        if let host { headers.append(("host", host)) }
        if let origin { headers.append(("origin", origin)) }
        return try await proxy.send(.POST, path, body: chat, headers: headers)
    }

    @Test func aForeignHostIsRefusedInTheClientsShapeAndNothingGoesUpstream() async throws {
        try await ProxyHarness.run { proxy in
            let openAI = try await Self.postChat(proxy, host: "evil.example:\(proxy.port)")
            #expect(openAI.status == 403)
            #expect(openAI.json?["error"]?["type"] == "permission_error", "\(openAI.text)")
            let message = try #require(openAI.json?["error"]?["message"]?.stringValue)
            #expect(message.contains("\"evil.example:\(proxy.port)\", is not a loopback name"), "\(message)")
            #expect(message.contains("--allowed-host 'evil.example'"), "\(message)")
            #expect(message.contains("allowed_hosts: [\"evil.example\"]"), "\(message)")

            let anthropic = try await proxy.send(
                .POST, "/v1/messages", body: ProxyHarness.messages().serialized(),
                headers: [("content-type", "application/json"), ("host", "evil.example")])
            #expect(anthropic.status == 403)
            #expect(anthropic.json?["type"] == "error")
            #expect(anthropic.errorType == "permission_error", "\(anthropic.text)")

            let gemini = try await proxy.send(
                .POST, "/v1beta/models/gemini:generateContent",
                body: Array(#"{"contents":[{"parts":[{"text":"hi"}]}]}"#.utf8),
                headers: [("content-type", "application/json"), ("host", "evil.example")])
            #expect(gemini.status == 403)
            #expect(gemini.json?["error"]?["status"] == "PERMISSION_DENIED", "\(gemini.text)")

            // Monitors too: the stats name the routes and their usage.
            let metrics = try await proxy.send(.GET, "/metrics", headers: [("host", "evil.example")])
            #expect(metrics.status == 403)
            #expect(proxy.stub.requests.isEmpty)
        }
    }

    /// A page the policy admits may use the proxy from a browser: its
    /// preflight is answered, and its answers (errors too) carry CORS
    /// headers; a request without `Origin` gets none, a refused page none.
    @Test func anAdmittedPageGetsCORSAndOthersDoNot() async throws {
        try await ProxyHarness.run(allowedOrigins: ["app://obsidian.md"]) { proxy in
            let preflight = try await proxy.send(
                .OPTIONS, "/v1/chat/completions",
                headers: [
                    ("origin", "http://localhost:5173"), ("access-control-request-method", "POST"),
                    ("access-control-request-headers", "authorization, content-type"),
                ])
            #expect(preflight.status == 204, "\(preflight.text)")
            #expect(preflight.headers.first(name: "access-control-allow-origin") == "http://localhost:5173")
            #expect(preflight.headers.first(name: "access-control-allow-headers") == "authorization, content-type")
            #expect(preflight.headers.first(name: "access-control-allow-methods") == "GET, POST, OPTIONS")
            #expect(proxy.stub.requests.isEmpty)
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let answered = try await Self.postChat(proxy, origin: "app://obsidian.md")
            #expect(answered.status == 200, "\(answered.text)")
            #expect(answered.headers.first(name: "access-control-allow-origin") == "app://obsidian.md")
            #expect(answered.headers.first(name: "access-control-expose-headers")?.contains("request-id") == true)

            let failed = try await Self.postChat(proxy, path: "/v1/nowhere", origin: "http://127.0.0.1:3000")
            #expect(failed.status == 404)
            #expect(failed.headers.first(name: "access-control-allow-origin") == "http://127.0.0.1:3000")

            let plain = try await Self.postChat(proxy)
            #expect(plain.status == 200)
            #expect(plain.headers.first(name: "access-control-allow-origin") == nil)
            let refused = try await Self.postChat(proxy, origin: "http://evil.example")
            #expect(refused.status == 403)
            #expect(refused.headers.first(name: "access-control-allow-origin") == nil)
        }
    }

    @Test func aForeignOriginIsRefusedEvenWithALoopbackHost() async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await Self.postChat(proxy, origin: "http://evil.example")
            #expect(reply.status == 403)
            let message = try #require(reply.json?["error"]?["message"]?.stringValue)
            #expect(message.contains("Origin \"http://evil.example\""), "\(message)")
            #expect(message.contains("--allowed-origin 'http://evil.example'"), "\(message)")
            let sandboxed = try await Self.postChat(proxy, origin: "null")
            #expect(sandboxed.status == 403)
            #expect(proxy.stub.requests.isEmpty)
        }
    }

    @Test func loopbackHostsAndOriginsAndNoOriginAreServed() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let status = try await Self.postChat(proxy).status
            #expect(status == 200)
            for host in ["localhost:\(proxy.port)", "LOCALHOST", "app.localhost:1", "127.0.0.1", "127.1.2.3:9"] {
                let status = try await Self.postChat(proxy, host: host).status
                #expect(status == 200, "\(host)")
            }
            for origin in ["http://localhost:3000", "https://127.0.0.1", "http://[::1]:5173"] {
                let status = try await Self.postChat(proxy, origin: origin).status
                #expect(status == 200, "\(origin)")
            }
            #expect(proxy.stub.requests.count == 9)
        }
    }

    @Test func theOptionsAllowMoreHostsAndOrigins() async throws {
        try await ProxyHarness.run(allowedHosts: ["Proxy.LAN"], allowedOrigins: ["https://app.example/"]) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let statuses = [
                try await Self.postChat(proxy, host: "proxy.lan:\(proxy.port)").status,
                try await Self.postChat(proxy, origin: "https://app.example").status,
                try await Self.postChat(proxy, host: "other.lan").status,
                try await Self.postChat(proxy, origin: "http://app.example").status,
            ]
            #expect(statuses == [200, 200, 403, 403])
        }
    }

    @Test func theConfigAllowsMoreHostsAndOrigins() async throws {
        let yaml: (String) -> String = { base in
            """
            allowed_hosts: ["proxy.lan:8082"]
            allowed_origins: ["*"]
            models:
              - model_id: gpt
                model_name: upstream-gpt
                api_base: \(base)/v1
                format: openai
            """
        }
        try await ProxyHarness.run(configYAML: yaml) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let statuses = [
                try await Self.postChat(proxy, host: "proxy.lan:8082", origin: "https://any.example").status,
                try await Self.postChat(proxy, host: "proxy.lan:9").status,
            ]
            #expect(statuses == [200, 403])
        }
    }

    /// Clients on other machines reach the proxy by names it cannot know:
    /// no `Host` check; a page is still a page.
    @Test func onANonLoopbackAddressTheHostIsNotChecked() async throws {
        try await ProxyHarness.run(listenHost: "0.0.0.0") { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let statuses = [
                try await Self.postChat(proxy, host: "proxy.lan:\(proxy.port)").status,
                try await Self.postChat(proxy, origin: "http://evil.example").status,
            ]
            #expect(statuses == [200, 403])
        }
    }

    @Test(arguments: [
        ("127.0.0.1:8082", true), ("localhost", true), ("LocalHost.:1", true), ("a.b.localhost", true),
        ("[::1]:8082", true), ("[::1]", true), ("127.255.0.1", true), ("evil.example", false),
        ("notlocalhost", false), ("localhost.evil.example", false), ("127.0.0.1.evil.example", false),
        ("128.0.0.1", false), ("127.0.0.256", false), ("127.0.0", false), ("[::2]", false), ("[::1", false),
        ("localhost:80a", false), ("", false), ("0.0.0.0", false),
    ])
    func loopbackAuthorities(authority: String, loopback: Bool) {
        #expect(LoopbackAddress.isLoopback(authority: authority[...]) == loopback)
    }

    @Test(arguments: [
        ("http://localhost:3000", true), ("HTTPS://127.0.0.1", true), ("http://[::1]:1/", true),
        ("null", false), ("http://evil.example", false), ("file://localhost", false),
        ("http://localhost/path", false), ("chrome-extension://abc", false),
    ])
    func loopbackOrigins(origin: String, loopback: Bool) {
        #expect(LoopbackAddress.isLoopback(origin: origin) == loopback)
    }

    /// Names a web page cannot put in `Host` (no public DNS answers for
    /// them) reach this machine too: `0.0.0.0`, and `.internal` names such as
    /// Docker's `host.docker.internal`; they pass, loopback or not.
    @Test(arguments: [
        ("0.0.0.0:8082", true), ("host.docker.internal:8082", true), ("HOST.DOCKER.INTERNAL.", true),
        ("localhost", true), ("internal", false), ("evil.internal.example", false), ("0.0.0.1", false),
        ("evilinternal", false),
    ])
    func thisMachinesAuthorities(authority: String, passes: Bool) {
        #expect(LoopbackAddress.isThisMachine(authority: authority[...]) == passes)
    }

    @Test func allowListEntriesAreChecked() {
        #expect(HostOriginPolicy.problem(allowedHost: "proxy.lan") == nil)
        #expect(HostOriginPolicy.problem(allowedHost: "proxy.lan:8082") == nil)
        #expect(HostOriginPolicy.problem(allowedHost: "*") == nil)
        #expect(HostOriginPolicy.problem(allowedHost: "http://proxy.lan") != nil)
        #expect(HostOriginPolicy.problem(allowedOrigin: "http://app.lan:3000") == nil)
        #expect(HostOriginPolicy.problem(allowedOrigin: "app.lan") != nil)
        #expect(HostOriginPolicy.problem(allowedOrigin: "https://app.lan/path") != nil)
        // Desktop apps' and extensions' origins, and `null`, which the refusal's advice names.
        #expect(HostOriginPolicy.problem(allowedOrigin: "null") == nil)
        #expect(HostOriginPolicy.problem(allowedOrigin: "app://obsidian.md") == nil)
        #expect(HostOriginPolicy.problem(allowedOrigin: "chrome-extension://abcdef") == nil)
        #expect(HostOriginPolicy.problem(allowedOrigin: "1app://x") != nil)
        #expect(HostOriginPolicy.problem(allowedOrigin: "app://") != nil)
    }

    @Test func aBadConfigEntryStopsTheLoadAtItsLine() throws {
        let yaml = """
            allowed_origins: [app.lan]
            models:
              - {model_id: a, model_name: a, api_base: "http://127.0.0.1:1", format: openai}
            """
        let error = #expect(throws: ConfigError.self) { try ProxyConfig.parse(yaml: yaml, file: "t.yaml") }
        #expect(error?.line == 1)
        #expect(error?.problem.hasPrefix("`allowed_origins` holds \"app.lan\", which is not an origin") == true)
    }

    @Test func configPrintShowsTheLists() throws {
        var config = try ProxyConfig.parse(
            yaml: """
                allowed_hosts: [proxy.lan]
                allowed_origins: ["http://app.lan:3000", "*"]
                models:
                  - {model_id: a, model_name: a, api_base: "http://127.0.0.1:1", format: openai}
                """, file: "t.yaml")
        let text = EffectiveConfigPrinter().render(config)
        #expect(text.contains("\nallowed_hosts: [proxy.lan]\n"), "\(text)")
        #expect(text.contains("\nallowed_origins: [http://app.lan:3000, \"*\"]\n"), "\(text)")
        // What it prints loads back to the same lists.
        config = try ProxyConfig.parse(yaml: text, file: "printed.yaml")
        #expect(config.allowedHosts == ["proxy.lan"])
        #expect(config.allowedOrigins == ["http://app.lan:3000", "*"])
    }
}

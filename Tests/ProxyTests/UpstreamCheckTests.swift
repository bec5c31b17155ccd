import Cassette
import Convert
import TestSupport
import Testing
import Wire

@testable import Proxy

/// `proxy check`'s work: each route's upstream called once.
struct UpstreamCheckTests {
    private static func config(live: String) throws -> ProxyConfig {
        try ProxyConfig.parse(
            yaml: """
                models:
                  - model_id: live
                    model_name: gpt-live
                    api_base: \(live)/v1
                    format: openai
                    api_key: sk-route-key
                  - model_id: dead
                    model_name: gpt-dead
                    api_base: http://127.0.0.1:1/v1
                    format: openai
                    api_key: sk-route-key
                """, file: "check.yaml")
    }

    @Test func aLiveAndADeadUpstream() async throws {
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(200, #"{"object":"list","data":[{"id":"gpt-live"},{"id":"gpt-other"}]}"#)
            let results = await UpstreamCheck(config: try Self.config(live: stub.baseURL), clientKey: nil).run()
            try #require(results.count == 2)
            #expect(results[0].route == "live" && results[0].ok && results[0].detail == "models list: 2 models")
            #expect(results[1].route == "dead" && !results[1].ok)
            #expect(results[1].detail.hasPrefix("connection refused"), "\(results[1].detail)")
            let asked = try #require(stub.requests.first)
            #expect(asked.method == "GET" && asked.path == "/v1/models")
            #expect(asked.header("authorization") == "Bearer sk-route-key")
            let table = UpstreamCheck.table(results)
            #expect(table.contains("live ") && table.contains(" ok ") && table.contains("FAILED"), "\(table)")
            #expect(!table.contains("sk-route-key"))
        }
    }

    @Test func withoutAModelsListItSendsOneTokenThroughTheConversion() async throws {
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(404, #"{"error":{"message":"no such path"}}"#)
            let config = try ProxyConfig.parse(
                yaml: """
                    models:
                      - model_id: live
                        model_name: gpt-live
                        api_base: \(stub.baseURL)/v1
                        format: openai
                    """, file: "check.yaml")
            let results = await UpstreamCheck(config: config, clientKey: "sk-client").run()
            #expect(results.first?.ok == false)
            #expect(results.first?.detail.hasPrefix("no models list (404); a one-token request failed: 404") == true)
            let paths = stub.requests.map { "\($0.method) \($0.path)" }
            #expect(paths == ["GET /v1/models", "POST /v1/chat/completions"])
            let body = try JSONValue(parsing: try #require(stub.requests.last).body)
            #expect(body["model"] == "gpt-live")
            #expect(body["max_tokens"] == 1 || body["max_completion_tokens"] == 1, "\(body)")
            #expect(stub.requests.allSatisfy { $0.header("authorization") == "Bearer sk-client" })
        }
    }

    /// "Keys are never printed": not even when the upstream quotes one.
    @Test func aKeyTheUpstreamQuotesBackIsNotPrinted() async throws {
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(401, #"{"error":{"message":"Incorrect API key provided: sk-route-key."}}"#)
            let results = await UpstreamCheck(config: try Self.config(live: stub.baseURL), clientKey: nil).run()
            let detail = try #require(results.first?.detail)
            #expect(detail.contains("Incorrect API key provided: \(Redactor.fingerprint("sk-route-key"))"), "\(detail)")
            #expect(!UpstreamCheck.table(results).contains("sk-route-key"))
        }
    }

    @Test func aRouteWithoutAnyKeySaysHowToGiveOne() async throws {
        let config = try ProxyConfig.parse(
            yaml: """
                models:
                  - model_id: nokey
                    model_name: m
                    api_base: http://127.0.0.1:1
                    format: anthropic
                """, file: "check.yaml")
        let results = await UpstreamCheck(config: config, clientKey: nil).run()
        #expect(results.first?.ok == false)
        #expect(results.first?.detail.contains("--api-key") == true)
    }
}

/// A models list that answers but leaves the route's model out.
struct UpstreamCheckModelListedTests {
    private static func config(_ base: String, modelName: String) throws -> ProxyConfig {
        try ProxyConfig.parse(
            yaml: """
                models:
                  - model_id: main
                    model_name: "\(modelName)"
                    api_base: \(base)/v1
                    format: openai
                    api_key: sk-route-key
                """, file: "check.yaml")
    }

    @Test func aModelTheListLeavesOutIsAskedForOneToken() async throws {
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(200, #"{"object":"list","data":[{"id":"m"}]}"#)
            let results = await UpstreamCheck(
                config: try Self.config(stub.baseURL, modelName: "main-upstream"), clientKey: nil
            )
            .run()
            let result = try #require(results.first)
            // The stub answers the one-token request with its models list: not a chat completion.
            #expect(!result.ok)
            #expect(
                result.detail.hasPrefix(
                    #"models list: 1 model, "main-upstream" not among them; a one-token request failed"#),
                "\(result.detail)")
            #expect(stub.requests.map { "\($0.method) \($0.path)" } == ["GET /v1/models", "POST /v1/chat/completions"])
        }
    }

    @Test func aListedModelIsEnough() async throws {
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(200, #"{"object":"list","data":[{"id":"other"},{"id":"main-upstream"}]}"#)
            let results = await UpstreamCheck(
                config: try Self.config(stub.baseURL, modelName: "main-upstream"), clientKey: nil
            )
            .run()
            #expect(results.first?.ok == true && results.first?.detail == "models list: 2 models")
            #expect(stub.requests.count == 1)
        }
    }

    @Test func geminiAndOllamaNamesCount() {
        #expect(UpstreamCheck.names("gemini-2.5-flash", in: ["models/gemini-2.5-flash"]))
        #expect(UpstreamCheck.names("llama3", in: ["llama3:latest"]))
        #expect(!UpstreamCheck.names("llama3", in: ["llama3:8b", "models/llama"]))
        #expect(UpstreamCheck.listedModels(Array(#"{"models":[{"name":"models/g"}]}"#.utf8)) == ["models/g"])
        #expect(UpstreamCheck.listedModels(Array("<html>".utf8)) == nil)
    }

    @Test func theLongestPageIsAskedFor() {
        #expect(
            UpstreamCheck.wholeList("https://g.test/v1beta/models", format: .gemini)
                == "https://g.test/v1beta/models?pageSize=1000")
        #expect(
            UpstreamCheck.wholeList("https://a.test/v1/models", format: .anthropic)
                == "https://a.test/v1/models?limit=1000")
        #expect(
            UpstreamCheck.wholeList("https://a.test/v1/models?api-version=1", format: .anthropic)
                == "https://a.test/v1/models?api-version=1&limit=1000")
        #expect(UpstreamCheck.wholeList("https://o.test/v1/models", format: .openai) == "https://o.test/v1/models")
    }

    @Test func aPassThroughRouteTakesAnyList() async throws {
        try await StubHTTPServer.withRunning { stub in
            stub.reply = .json(200, #"{"object":"list","data":[{"id":"m"}]}"#)
            let results = await UpstreamCheck(config: try Self.config(stub.baseURL, modelName: "*"), clientKey: nil)
                .run()
            #expect(results.first?.ok == true && results.first?.detail == "models list: 1 model")
        }
    }
}

import Convert
import TestSupport
import Testing
import Wire

/// `seed` and the penalties through the running proxy: what reaches the
/// stub upstream on a route of the other API, and a value of the wrong
/// type refused in the client's own shape before any upstream call.
@Suite struct SeedAndPenaltiesRouteTests {
    private static func fixtureText(_ relative: String) throws -> String {
        String(decoding: try Fixtures.bytes(atPath: try Fixtures.path(relative)), as: UTF8.self)
    }

    @Test func aChatClientOnAGeminiRouteSendsThemInGenerationConfig() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, try Self.fixtureText("providers/gemini/google-text.json"))
            let reply = try await proxy.post(
                "/v1/chat/completions",
                json: [
                    "model": "gemini", "seed": 42, "presence_penalty": 0.5, "frequency_penalty": -0.25,
                    "messages": [["role": "user", "content": "Hi"]],
                ])
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json?["object"] == "chat.completion")
            let sent = try #require(proxy.stub.requests.last)
            #expect(sent.path == "/v1beta/models/gemini-2.5-flash:generateContent")
            let config = try JSONValue(parsing: sent.body)["generationConfig"]
            #expect(config?["seed"] == 42)
            // Gemini 2.5 refuses penalties with 400.
            #expect(config?["presencePenalty"] == nil && config?["frequencyPenalty"] == nil)
        }
    }

    @Test func aGeminiClientOnAChatRouteSendsThemInChatsNames() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post(
                "/v1beta/models/gpt:generateContent",
                json: [
                    "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                    "generationConfig": ["seed": 42, "presencePenalty": 0.5, "frequencyPenalty": -0.25],
                ])
            #expect(reply.status == 200, "\(reply.text)")
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(sent["seed"] == 42)
            #expect(sent["presence_penalty"] == 0.5)
            #expect(sent["frequency_penalty"] == -0.25)
            #expect(sent["generationConfig"] == nil)
        }
    }

    @Test func aStringSeedIsA400InTheClientsShapeWithNoUpstreamCall() async throws {
        try await ProxyHarness.run { proxy in
            let gemini = try await proxy.post(
                "/v1beta/models/gpt:generateContent",
                json: [
                    "contents": [["role": "user", "parts": [["text": "Hi"]]]], "generationConfig": ["seed": "42"],
                ])
            #expect(gemini.status == 400)
            #expect(gemini.json?["error"]?["status"] == "INVALID_ARGUMENT")
            #expect(gemini.json?["error"]?["message"] == "generationConfig.seed must be an integer, got string")
            let chat = try await proxy.post(
                "/v1/chat/completions",
                json: ["model": "gemini", "seed": "42", "messages": [["role": "user", "content": "Hi"]]])
            #expect(chat.status == 400)
            #expect(chat.json?["error"]?["type"] == "invalid_request_error")
            #expect(chat.json?["error"]?["message"] == "seed must be an integer, got string")
            #expect(proxy.stub.requests.isEmpty)
        }
    }
}

import Convert
import Testing
import Wire

/// A Mistral route (``ChatServer/mistral``) is sent what Mistral's API
/// takes: nine-character tool ids, no `user` or `stream_options`, the
/// seed as `random_seed`.
@Suite struct MistralChatServerTests {
    static let mistral = RouteOptions(
        modelID: "devstral", upstreamDialect: .openai, upstreamModel: "devstral-medium-latest", chatServer: .mistral)

    /// Claude Code's second turn after a call Claude made: `toolu_` ids.
    static let toolTurn: JSONObject = [
        "model": "claude-sonnet", "max_tokens": 1024, "stream": true, "seed": 7,
        "metadata": ["user_id": "user_abc_account_123_session_456"],
        "tools": [["name": "Write", "input_schema": ["type": "object"]]],
        "messages": [
            ["role": "user", "content": "Write it"],
            [
                "role": "assistant",
                "content": [
                    ["type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "Write", "input": [:]],
                    ["type": "tool_use", "id": "gSIMJiOkT", "name": "Write", "input": [:]],
                ],
            ],
            [
                "role": "user",
                "content": [
                    ["type": "tool_result", "tool_use_id": "toolu_01A09q90qw90lq917835lq9", "content": "done"],
                    ["type": "tool_result", "tool_use_id": "gSIMJiOkT", "content": "done too"],
                ],
            ],
        ],
    ]

    @Test func toolIdsAreNineLettersAndDigitsAndStillPair() throws {
        let converted = try RequestConverter.convert(anthropicRequest: .object(Self.toolTurn), route: Self.mistral)
        let messages = try #require(converted.body["messages"]?.arrayValue)
        let callIDs = try #require(messages[1]["tool_calls"]?.arrayValue).compactMap { $0["id"]?.stringValue }
        let resultIDs = messages.dropFirst(2).compactMap { $0["tool_call_id"]?.stringValue }
        #expect(callIDs.count == 2 && resultIDs == callIDs)
        // Mistral's own id goes back as it came; Claude's is fitted.
        #expect(callIDs[1] == "gSIMJiOkT")
        #expect(callIDs[0] != callIDs[1])
        #expect(callIDs[0].utf8.count == 9)
        #expect(callIDs[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        // The same on every request of the session.
        let again = try RequestConverter.convert(anthropicRequest: .object(Self.toolTurn), route: Self.mistral)
        #expect(again.body["messages"]?[1]?["tool_calls"]?[0]?["id"]?.stringValue == callIDs[0])
    }

    @Test func noUserNoStreamOptionsAndTheSeedAsRandomSeed() throws {
        let converted = try RequestConverter.convert(anthropicRequest: .object(Self.toolTurn), route: Self.mistral)
        #expect(converted.body["user"] == nil)
        #expect(converted.body["stream_options"] == nil)
        #expect(converted.body["stream"] == true)
        #expect(converted.body["seed"] == nil)
        #expect(converted.body["random_seed"] == 7)
    }

    /// Another Chat server keeps OpenAI's rules.
    @Test func anotherServerKeepsOpenAIsForm() throws {
        let converted = try RequestConverter.convert(anthropicRequest: .object(Self.toolTurn), route: TestRoutes.openAI)
        #expect(converted.body["messages"]?[1]?["tool_calls"]?[0]?["id"] == "toolu_01A09q90qw90lq917835lq9")
        #expect(converted.body["user"] != nil)
        #expect(converted.body["stream_options"] == ["include_usage": true])
        #expect(converted.body["seed"] == 7)
    }

    /// An OpenAI SDK session moved to Mistral is passed through, and
    /// fitted alike: its `call_` ids, `user`, `stream_options` and `seed`.
    @Test func aChatClientPassedThroughIsFittedToo() throws {
        let body: JSONValue = [
            "model": "devstral", "stream": true, "stream_options": ["include_usage": true], "user": "u1", "seed": 3,
            "messages": [
                ["role": "user", "content": "Write it"],
                [
                    "role": "assistant", "content": nil,
                    "tool_calls": [
                        [
                            "id": "call_Xy7P9qR2sT5uV8wZ1aB3cD4e", "type": "function",
                            "function": ["name": "Write", "arguments": "{}"],
                        ],
                        ["id": "gSIMJiOkT", "type": "function", "function": ["name": "Write", "arguments": "{}"]],
                    ],
                ],
                ["role": "tool", "tool_call_id": "call_Xy7P9qR2sT5uV8wZ1aB3cD4e", "content": "done"],
                ["role": "tool", "tool_call_id": "gSIMJiOkT", "content": "done too"],
            ],
        ]
        let client = try ClientRequest(endpoint: ClientEndpoint(dialect: .openai), body: body)
        let converted = try client.upstreamBody(route: Self.mistral)
        let messages = try #require(converted.body["messages"]?.arrayValue)
        let callIDs = try #require(messages[1]["tool_calls"]?.arrayValue).compactMap { $0["id"]?.stringValue }
        #expect(callIDs.count == 2 && callIDs[1] == "gSIMJiOkT")
        #expect(callIDs[0].utf8.count == 9 && callIDs[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(messages.dropFirst(2).compactMap { $0["tool_call_id"]?.stringValue } == callIDs)
        #expect(converted.body["user"] == nil && converted.body["stream_options"] == nil)
        #expect(converted.body["seed"] == nil && converted.body["random_seed"] == 3)
        #expect(converted.body["model"] == "devstral-medium-latest")
        #expect(converted.diagnostics.filter { $0.severity == .info }.count == 2)
        // Already in Mistral's form: nothing to fit, nothing noted.
        let plain = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openai),
            body: ["model": "devstral", "messages": [["role": "user", "content": "Hi"]]])
        #expect(try plain.upstreamBody(route: Self.mistral).diagnostics.isEmpty)
    }

    @Test func theRouteLineNamesTheServer() {
        #expect(Self.mistral.json["chat_server"] == "mistral")
        #expect(TestRoutes.openAI.json["chat_server"] == nil)
    }
}

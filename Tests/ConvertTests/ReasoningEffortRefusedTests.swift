import Convert
import Foundation
import Testing
import Wire

/// A route whose model refuses a reasoning effort
/// (``RouteOptions/reasoningEffortRefused``) gets none from the client's
/// thinking settings: Claude Code asks for one on every main request, and
/// `gpt-4.1` answered each with 400.
@Suite struct ReasoningEffortRefusedTests {
    static let claudeCodeThinking: JSONObject = [
        "model": "claude-sonnet", "max_tokens": 1024, "messages": [["role": "user", "content": "Hi"]],
        "thinking": ["type": "adaptive"], "output_config": ["effort": "medium"],
    ]

    static func route(_ dialect: Dialect, refused: Bool, effort: String? = nil) -> RouteOptions {
        RouteOptions(
            modelID: "gpt", upstreamDialect: dialect, upstreamModel: "gpt-4.1", reasoningEffort: effort,
            reasoningEffortRefused: refused)
    }

    @Test(arguments: [Dialect.openai, .openaiResponses])
    func theClientsEffortIsLeftOutWithANote(dialect: Dialect) throws {
        let converted = try RequestConverter.convert(
            anthropicRequest: .object(Self.claudeCodeThinking), route: Self.route(dialect, refused: true))
        #expect(converted.body["reasoning_effort"] == nil)
        #expect(converted.body["reasoning"] == nil)
        #expect(converted.body["include"] == nil)
        let note = try #require(converted.diagnostics.first { $0.path == "/output_config/effort" })
        #expect(note.severity == .info)
        #expect(note.message == "reasoning effort medium not sent: gpt-4.1 on this route takes none")
    }

    @Test func aBudgetsEffortIsLeftOutToo() throws {
        var request = Self.claudeCodeThinking
        request["output_config"] = nil
        request["thinking"] = ["type": "enabled", "budget_tokens": 10_000]
        request["max_tokens"] = 20_000
        let converted = try RequestConverter.convert(
            anthropicRequest: .object(request), route: Self.route(.openai, refused: true))
        #expect(converted.body["reasoning_effort"] == nil)
        #expect(converted.diagnostics.contains { $0.path == "/thinking" && $0.severity == .info })
    }

    /// The route's own `reasoning_effort` is the config's word, and goes.
    @Test func theRoutesOwnEffortIsStillSent() throws {
        let converted = try RequestConverter.convert(
            anthropicRequest: .object(Self.claudeCodeThinking),
            route: Self.route(.openai, refused: true, effort: "high"))
        #expect(converted.body["reasoning_effort"] == "high")
    }

    @Test func aRouteThatTakesItStillGetsIt() throws {
        let chat = try RequestConverter.convert(
            anthropicRequest: .object(Self.claudeCodeThinking), route: Self.route(.openai, refused: false))
        #expect(chat.body["reasoning_effort"] == "medium")
        let responses = try RequestConverter.convert(
            anthropicRequest: .object(Self.claudeCodeThinking), route: Self.route(.openaiResponses, refused: false))
        #expect(responses.body["reasoning"]?["effort"] == "medium")
    }

    /// Recorded in the route line only when set, so earlier cassettes'
    /// route lines are unchanged and replay as they were recorded.
    @Test func theRouteLineNamesItOnlyWhenSet() throws {
        #expect(Self.route(.openai, refused: false).json["reasoning_effort_refused"] == nil)
        let refused = Self.route(.openai, refused: true)
        #expect(refused.json["reasoning_effort_refused"] == true)
        let decoded = try JSONDecoder().decode(RouteOptions.self, from: Data(refused.json.serialized()))
        #expect(decoded == refused)
    }

    /// OpenAI's o-series refuse `parallel_tool_calls` on Chat Completions;
    /// the gpt-5 family and other models take it.
    @Test(arguments: [
        ("o3", true, false), ("o4-mini-2025-04-16", true, false), ("gpt-5", true, true), ("o3", false, true),
    ])
    func oneCallATurnOnTheOSeries(model: String, reasoning: Bool, sent: Bool) throws {
        let route = RouteOptions(
            modelID: "m", upstreamDialect: .openai, upstreamModel: model, reasoningModel: reasoning)
        let request: JSONObject = [
            "model": "claude-sonnet", "max_tokens": 1024, "messages": [["role": "user", "content": "Hi"]],
            "tools": [["name": "t", "input_schema": ["type": "object"]]],
            "tool_choice": ["type": "auto", "disable_parallel_tool_use": true],
        ]
        let converted = try RequestConverter.convert(anthropicRequest: .object(request), route: route)
        #expect(converted.body["parallel_tool_calls"] == (sent ? false : nil))
        let warned = converted.diagnostics.contains {
            $0.path == "/tool_choice/disable_parallel_tool_use" && $0.severity == .warning
        }
        #expect(warned == !sent)
    }
}

import Convert
import Testing
import Wire

/// A tool_result answering no call the upstream knows is sent as labelled
/// user text with a warning, in every dialect.
@Suite struct UnmatchedToolResultTests {
    static let request: JSONValue = [
        "model": "claude-sonnet", "max_tokens": 64,
        "messages": [
            [
                "role": "user",
                "content": [["type": "tool_result", "tool_use_id": "t9", "content": "done", "is_error": true]],
            ]
        ],
    ]

    @Test(arguments: [
        (TestRoutes.openAI, "no tool call of the previous turn", "Result of tool call t9:\nError: done"),
        (TestRoutes.responses, "no earlier tool_use", "Result of tool call t9:\nError: done"),
        (TestRoutes.gemini, "no earlier tool_use", "Result of tool call t9:\ndone"),
    ])
    func sentAsTextWithAWarning(route: RouteOptions, unanswered: String, text: String) throws {
        let converted = try RequestConverter.convert(anthropicRequest: Self.request, route: route)
        #expect(
            converted.diagnostics.contains {
                $0.path == "/messages/0/content/0" && $0.severity == .warning
                    && $0.message == "tool_result for t9 answers \(unanswered); sent as text"
            })
        #expect(converted.body.serializedString().contains(JSONValue.string(text).serializedString()))
    }
}

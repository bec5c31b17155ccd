import Testing
import Wire

@testable import Convert

/// OpenAI's `allowed_tools` choice, from a Chat and a Responses client.
@Suite struct AllowedToolChoiceTests {
    private static let chatTools: JSONValue = [
        ["type": "function", "function": ["name": "weather"]],
        ["type": "function", "function": ["name": "time"]],
        ["type": "function", "function": ["name": "search"]],
    ]

    private static func chat(_ choice: JSONValue) throws -> ConvertedRequest {
        try OpenAIChatClientCodec.decodeRequest([
            "model": "m", "messages": [["role": "user", "content": "x"]], "tools": chatTools, "tool_choice": choice,
        ])
    }

    @Test func chatRequiredAmongTwoIsAnyOverThoseTwo() throws {
        let converted = try Self.chat([
            "type": "allowed_tools",
            "allowed_tools": [
                "mode": "required",
                "tools": [
                    ["type": "function", "function": ["name": "time"]],
                    ["type": "function", "function": ["name": "weather"]],
                ],
            ],
        ])
        #expect(converted.body["tools"]?.arrayValue?.map { $0["name"] } == ["weather", "time"])
        #expect(converted.body["tool_choice"] == ["type": "any"])
        #expect(
            converted.diagnostics.map(\.message) == ["allowed_tools: the upstream is given the 2 allowed of 3 tools"])
    }

    @Test func chatRequiredOfOneIsThatTool() throws {
        let converted = try Self.chat([
            "type": "allowed_tools",
            "allowed_tools": ["mode": "required", "tools": [["type": "function", "function": ["name": "search"]]]],
        ])
        #expect(converted.body["tools"]?.arrayValue?.map { $0["name"] } == ["search"])
        #expect(converted.body["tool_choice"] == ["type": "tool", "name": "search"])
    }

    @Test func chatAutoStaysAuto() throws {
        let converted = try Self.chat([
            "type": "allowed_tools",
            "allowed_tools": ["mode": "auto", "tools": [["type": "function", "function": ["name": "search"]]]],
        ])
        #expect(converted.body["tool_choice"] == ["type": "auto"])
        #expect(converted.body["tools"]?.arrayValue?.count == 1)
    }

    static let unmet: [(JSONValue, String)] = [
        (
            ["mode": "sometimes", "tools": []],
            "tool_choice.allowed_tools.mode must be auto or required, got \"sometimes\""
        ),
        (
            ["mode": "auto", "tools": [["type": "function", "function": ["name": "ghost"]]]],
            "tool_choice.allowed_tools.tools names none of the request's function tools"
        ),
        (["mode": "auto"], "tool_choice.allowed_tools.tools is required and must be an array"),
    ]

    @Test(arguments: unmet)
    func aChatChoiceThatCannotBeMetIsRefused(members: JSONValue, message: String) {
        #expect {
            try Self.chat(["type": "allowed_tools", "allowed_tools": members])
        } throws: { error in
            (error as? APIError)?.status == 400 && (error as? APIError)?.message == message
        }
    }

    @Test func responsesRequiredIsCarried() throws {
        let converted = try OpenAIResponsesClientCodec.decodeRequest([
            "model": "gpt-5", "input": "Go",
            "tools": [
                ["type": "function", "name": "weather", "parameters": ["type": "object"]],
                ["type": "function", "name": "time", "parameters": ["type": "object"]],
            ],
            "tool_choice": [
                "type": "allowed_tools", "mode": "required",
                "tools": [["type": "function", "name": "time"], ["type": "image_generation"]],
            ],
        ])
        #expect(converted.body["tools"]?.arrayValue?.map { $0["name"] } == ["time"])
        #expect(converted.body["tool_choice"] == ["type": "tool", "name": "time"])
        #expect(converted.diagnostics.map(\.path) == ["/tool_choice/tools/1", "/tool_choice"])
    }

    @Test func aResponsesChoiceOfNoFunctionToolAllowsNone() throws {
        let converted = try OpenAIResponsesClientCodec.decodeRequest([
            "model": "gpt-5", "input": "Go",
            "tools": [
                ["type": "function", "name": "get_weather", "parameters": ["type": "object"]],
                ["type": "function", "name": "delete_file", "parameters": ["type": "object"]],
            ],
            "tool_choice": ["type": "allowed_tools", "mode": "auto", "tools": [["type": "web_search"]]],
        ])
        #expect(converted.body["tool_choice"] == ["type": "none"])
        #expect(
            converted.diagnostics.last?.message
                == "tool_choice.tools names none of the request's function tools; no function tool may be called")
    }
}

import Testing
import Wire

@testable import Convert

/// Each upstream's rule for tool names, and the names fitted to it. The
/// hash suffixes (8 hex digits of the original name's SHA-256) were
/// computed apart, with Python's hashlib.
@Suite struct UpstreamToolNameTests {
    /// 70 characters, as Claude Code names an MCP server's tool.
    static let mcpName = "mcp__plugin_atlassian_cloud__getAccessibleAtlassianResourcesForTheUser"
    static let mcpFitted = "mcp__plugin_atlassian_cloud__getAccessibleAtlassianReso_a4da83f8"

    static func tools(_ names: [String]) -> JSONValue {
        .array(names.map { ["name": .string($0), "input_schema": ["type": "object"]] })
    }

    @Test(arguments: Dialect.allCases)
    func namesEveryUpstreamTakesAreKept(upstream: Dialect) {
        for name in [
            "Read", "mcp__github__create_issue", "web-search_2", "_private", String(repeating: "a", count: 64),
        ] {
            #expect(UpstreamToolName.isValid(name, for: upstream), "\(name)")
            #expect(UpstreamToolName.fitted(name, for: upstream) { _ in true } == name)
        }
    }

    @Test(arguments: [
        // OpenAI and Anthropic take no dot or colon; Gemini does.
        (Dialect.openai, "files.read:v1", "files_read_v1"),
        (.openaiResponses, "files.read:v1", "files_read_v1"),
        (.anthropic, "files.read:v1", "files_read_v1"),
        (.gemini, "files.read:v1", "files.read:v1"),
        // Gemini wants a letter or `_` first; the others take a digit.
        (.gemini, "1st-tool", "_1st-tool"),
        (.gemini, "-dash", "_-dash"),
        (.openai, "1st-tool", "1st-tool"),
        (.anthropic, "1st-tool", "1st-tool"),
        // Spaces, slashes and non-ASCII: one `_` a character.
        (.openai, "get weather/now", "get_weather_now"),
        (.gemini, "wetter-ö", "wetter-_"),
        // Too long, for every upstream: cut to 55, `_` and 8 hex digits, 64 in all.
        (.openai, UpstreamToolNameTests.mcpName, UpstreamToolNameTests.mcpFitted),
        (.openaiResponses, UpstreamToolNameTests.mcpName, UpstreamToolNameTests.mcpFitted),
        (.anthropic, UpstreamToolNameTests.mcpName, UpstreamToolNameTests.mcpFitted),
        (.gemini, UpstreamToolNameTests.mcpName, UpstreamToolNameTests.mcpFitted),
        (.openai, String(repeating: "x", count: 65), String(repeating: "x", count: 55) + "_9537c5fd"),
        // Nothing to keep: the hash alone, which starts as Gemini wants.
        (.gemini, "", "_e3b0c442"),
    ])
    func aRefusedNameIsFitted(upstream: Dialect, name: String, fitted: String) {
        #expect(UpstreamToolName.isValid(name, for: upstream) == (name == fitted))
        let result = UpstreamToolName.fitted(name, for: upstream) { _ in false }
        #expect(result == fitted)
        #expect(UpstreamToolName.isValid(result, for: upstream))
        #expect(result.count <= 64)
    }

    @Test func aNameTakenByAnotherToolIsHashed() {
        let names = UpstreamToolNames(tools: Self.tools(["a.b", "a_b"]), upstream: .openai)
        // The tool already called `a_b` keeps its name.
        #expect(names.fitted("a_b") == "a_b")
        #expect(names.fitted("a.b") == "a_b_2e7336dc")
        #expect(names.original(of: "a_b_2e7336dc") == "a.b")
        #expect(names.original(of: "a_b") == "a_b")
    }

    @Test func twoNamesFittedAlikeAreBothHashedWhateverTheirOrder() {
        for list in [["a.b", "a:b"], ["a:b", "a.b"]] {
            let names = UpstreamToolNames(tools: Self.tools(list), upstream: .anthropic)
            #expect(names.fitted("a.b") == "a_b_2e7336dc")
            #expect(names.fitted("a:b") == "a_b_6783a31e")
            #expect(names.original(of: "a_b_6783a31e") == "a:b")
        }
    }

    @Test func aListOfNamesThatFitChangesNothing() {
        let names = UpstreamToolNames(tools: Self.tools(["Read", "files.read:v1"]), upstream: .gemini)
        #expect(!names.changesAny)
        var request: JSONObject = ["tools": Self.tools(["Read", "files.read:v1"])]
        #expect(names.fit(&request).isEmpty)
        #expect(request == ["tools": Self.tools(["Read", "files.read:v1"])])
    }

    /// A call in the history of a tool no longer in the list is fitted
    /// alone, off the names the list uses.
    @Test func aNameOutsideTheListIsFittedOffTheListsNames() {
        let names = UpstreamToolNames(tools: Self.tools(["files_read", "x.y"]), upstream: .openai)
        #expect(names.fitted("x.y") == "x_y")
        #expect(names.fitted("files.read") == "files_read_601e4eb6")
        #expect(names.fitted("x:y") == "x_y_1274e286")
        #expect(names.fitted("gone.tool") == "gone_tool")
    }

    @Test func theRequestIsRenamedEverywhereANameAppears() throws {
        let names = UpstreamToolNames(tools: Self.tools([Self.mcpName, "Read"]), upstream: .openai)
        var request: JSONObject = [
            "tools": Self.tools([Self.mcpName, "Read"]),
            "tool_choice": ["type": "tool", "name": .string(Self.mcpName)],
            "messages": [
                ["role": "user", "content": "go"],
                [
                    "role": "assistant",
                    "content": [
                        ["type": "text", "text": "calling"],
                        ["type": "tool_use", "id": "t1", "name": .string(Self.mcpName), "input": [:]],
                        ["type": "tool_use", "id": "t2", "name": "Read", "input": [:]],
                    ],
                ],
            ],
        ]
        let diagnostics = names.fit(&request)
        #expect(request["tools"] == Self.tools([Self.mcpFitted, "Read"]))
        #expect(request["tool_choice"] == ["type": "tool", "name": .string(Self.mcpFitted)])
        #expect(request["messages"]?[1]?["content"]?[1]?["name"] == .string(Self.mcpFitted))
        #expect(request["messages"]?[1]?["content"]?[2]?["name"] == "Read")
        #expect(diagnostics.map(\.path) == ["/tools/0/name"])
        #expect(diagnostics.map(\.severity) == [.info])
        #expect(diagnostics.first?.message.contains("OpenAI Chat Completions") == true)

        var answer: JSONObject = [
            "content": [
                ["type": "tool_use", "id": "t3", "name": .string(Self.mcpFitted), "input": [:]],
                ["type": "tool_use", "id": "t4", "name": "Read", "input": [:]],
            ]
        ]
        names.restore(in: &answer)
        #expect(answer["content"]?[0]?["name"] == .string(Self.mcpName))
        #expect(answer["content"]?[1]?["name"] == "Read")
        let start = names.restored(
            .contentBlockStart(index: 1, block: .toolUse(id: "t5", name: Self.mcpFitted, input: [:])))
        #expect(start == .contentBlockStart(index: 1, block: .toolUse(id: "t5", name: Self.mcpName, input: [:])))
    }
}

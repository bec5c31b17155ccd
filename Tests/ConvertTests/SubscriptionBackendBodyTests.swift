import Convert
import Testing
import Wire

/// Antigravity's envelope around a `generateContent` body: one spelling of
/// each field it sets, whatever the client wrote, and a thinking budget
/// under the client's output cap.
@Suite struct SubscriptionBackendBodyTests {
    static func request(_ body: JSONValue, model: String = "claude-sonnet-4-5-thinking") -> JSONObject {
        let sent = SubscriptionBackendBody.antigravity(body, model: model, project: "p-1", requestID: "agent-1")
        return sent["request"]?.objectValue ?? [:]
    }

    static let contents: JSONValue = [["role": "user", "parts": [["text": "Hi"]]]]

    @Test func aBudgetAtIntsLimitRaisesTheCapToTheLimitWithoutTrapping() {
        for generation: JSONValue in [
            ["thinkingConfig": ["thinkingBudget": .int(.max)]],
            ["thinkingConfig": ["thinkingBudget": .int(.max)], "maxOutputTokens": 100],
        ] {
            let sent = Self.request(["contents": Self.contents, "generationConfig": generation])
            #expect(sent["generationConfig"]?["maxOutputTokens"] == .int(.max), "\(generation)")
        }
    }

    @Test func aSnakeCaseSystemInstructionGetsTheIdentityAndOneSpelling() {
        let sent = Self.request(
            ["contents": Self.contents, "system_instruction": ["parts": [["text": "Be brief."]]]], model: "gemini-3-pro"
        )
        #expect(sent["system_instruction"] == nil)
        let parts = sent["systemInstruction"]?["parts"]?.arrayValue?.compactMap { $0["text"]?.stringValue }
        #expect(parts == [SubscriptionBackendBody.identity, "Be brief."])
    }

    @Test func aSnakeCaseToolConfigThatForbidsCallsStaysTheOnlyOne() {
        let sent = Self.request([
            "contents": Self.contents, "tools": [["functionDeclarations": [["name": "Write"]]]],
            "tool_config": ["function_calling_config": ["mode": "NONE"]],
        ])
        #expect(sent["tool_config"] == nil)
        #expect(sent["toolConfig"]?["function_calling_config"]?["mode"]?.stringValue == "NONE")
    }

    @Test func aForcedCallBecomesValidatedWithItsAllowedNames() {
        let sent = Self.request([
            "contents": Self.contents, "tools": [["functionDeclarations": [["name": "Write"]]]],
            "tool_config": ["function_calling_config": ["mode": "ANY", "allowed_function_names": ["Write"]]],
        ])
        #expect(sent["tool_config"] == nil)
        #expect(
            sent["toolConfig"] == ["functionCallingConfig": ["mode": "VALIDATED", "allowedFunctionNames": ["Write"]]])
    }

    @Test func theDefaultBudgetFitsUnderTheClientsCap() {
        let sent = Self.request(["contents": Self.contents, "generation_config": ["max_output_tokens": 4096]])
        #expect(sent["generation_config"] == nil)
        let generation = sent["generationConfig"]
        #expect(generation?["maxOutputTokens"]?.intValue == 4096)
        #expect(generation?["max_output_tokens"] == nil)
        // Half the cap is left for the answer, as every converted route leaves it.
        #expect(generation?["thinkingConfig"] == ["includeThoughts": true, "thinkingBudget": 2048])
    }

    @Test(
        arguments: [
            // No cap: the default budget, and room above it.
            (nil, nil, 16384, 24576),
            // A cap under the minimum budget: raised by it.
            (512, nil, 1024, 1536),
            // The client's budget under its cap: both kept.
            (8000, 2000, 2000, 8000),
            // The client's budget over its cap: the cap is raised by it.
            (2000, 4000, 4000, 6000),
            // A budget under Claude's minimum is raised to it.
            (8000, 0, 1024, 8000),
            // A cap at Int's limit, below any budget: the minimum, and room for one more (it trapped).
            (Int.min, nil, 1024, 1025),
        ] as [(Int?, Int?, Int, Int)])
    func theBudgetAndCapFollowTheClient(cap: Int?, budget: Int?, sentBudget: Int, sentCap: Int) {
        var generation: JSONObject = [:]
        if let cap { generation["maxOutputTokens"] = .int(Int64(cap)) }
        if let budget { generation["thinkingConfig"] = ["thinkingBudget": .int(Int64(budget))] }
        let sent = Self.request(["contents": Self.contents, "generationConfig": .object(generation)])
        #expect(sent["generationConfig"]?["thinkingConfig"]?["thinkingBudget"]?.intValue == sentBudget)
        #expect(sent["generationConfig"]?["maxOutputTokens"]?.intValue == sentCap)
    }

    @Test func aModelThatDoesNotThinkGetsNoBudget() {
        let sent = Self.request(
            ["contents": Self.contents, "generationConfig": ["maxOutputTokens": 100]], model: "claude-sonnet-4-5")
        #expect(sent["generationConfig"] == ["maxOutputTokens": 100])
    }
}

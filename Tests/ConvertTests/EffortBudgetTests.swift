import Convert
import Testing
import Wire

/// One effort asks one thinking budget, whichever client dialect asks it.
@Suite struct EffortBudgetTests {
    static func budgets(_ effort: String) throws -> [JSONValue?] {
        let message: JSONValue = ["role": "user", "content": "Hi"]
        let chat = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openai),
            body: ["model": "m", "reasoning_effort": .string(effort), "messages": [message]])
        let responses = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .openaiResponses),
            body: ["model": "m", "reasoning": ["effort": .string(effort)], "input": "Hi"])
        let gemini = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false),
            body: [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": ["thinkingConfig": ["thinkingLevel": .string(effort)]],
            ])
        return try [chat, responses, gemini].map { try $0.pivotRequest().body["thinking"]?["budget_tokens"] }
    }

    @Test(arguments: [
        ("minimal", 1_024), ("low", 1_024), ("medium", 8_192), ("high", 24_576), ("xhigh", 32_000),
    ])
    func everyClientGetsTheSameBudget(effort: String, budget: Int) throws {
        #expect(try Self.budgets(effort) == Array(repeating: .int(Int64(budget)), count: 3))
    }
}

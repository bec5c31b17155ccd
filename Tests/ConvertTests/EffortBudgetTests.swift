import Convert
import Testing
import Wire

/// One effort asks one thinking budget, whichever client dialect asks it.
@Suite struct EffortBudgetTests {
    static func budgets(_ effort: String) throws -> [JSONValue?] {
        try pivots(effort).map { $0["thinking"]?["budget_tokens"] }
    }

    /// The pivots of a Chat, a Responses and a Gemini client that ask
    /// `effort` and set no cap.
    static func pivots(_ effort: String) throws -> [JSONValue] {
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
        return try [chat, responses, gemini].map { try $0.pivotRequest().body }
    }

    /// The table the clients share, as ``everyClientGetsTheSameBudget(effort:budget:)`` pins it.
    static let budgetByEffort = ["minimal": 1_024, "low": 1_024, "medium": 8_192, "high": 24_576, "xhigh": 27_648]

    /// The pivots of a Chat, a Responses and two Gemini clients (the
    /// effort as `thinkingLevel`, and its budget as `thinkingBudget`) that
    /// ask `effort` under a cap of `maxTokens`: each one's thinking budget
    /// (nil when thinking is off) and `max_tokens`.
    static func fitted(_ effort: String, maxTokens: Int) throws -> [[JSONValue?]] {
        try requests(effort, maxTokens: maxTokens).map { request in
            let body = try request.pivotRequest().body
            return [body["thinking"]?["budget_tokens"], body["max_tokens"]]
        }
    }

    /// The four clients' requests ``fitted(_:maxTokens:)`` reads.
    static func requests(_ effort: String, maxTokens: Int) throws -> [ClientRequest] {
        let cap = JSONValue.int(Int64(maxTokens))
        let message: JSONValue = ["role": "user", "content": "Hi"]
        let contents: JSONValue = [["role": "user", "parts": [["text": "Hi"]]]]
        let geminiEndpoint = ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false)
        let budget = try #require(Self.budgetByEffort[effort])
        let requests = try [
            ClientRequest(
                endpoint: ClientEndpoint(dialect: .openai),
                body: [
                    "model": "m", "reasoning_effort": .string(effort), "max_completion_tokens": cap,
                    "messages": [message],
                ]),
            ClientRequest(
                endpoint: ClientEndpoint(dialect: .openaiResponses),
                body: ["model": "m", "reasoning": ["effort": .string(effort)], "max_output_tokens": cap, "input": "Hi"]),
            ClientRequest(
                endpoint: geminiEndpoint,
                body: [
                    "contents": contents,
                    "generationConfig": ["maxOutputTokens": cap, "thinkingConfig": ["thinkingLevel": .string(effort)]],
                ]),
            ClientRequest(
                endpoint: geminiEndpoint,
                body: [
                    "contents": contents,
                    "generationConfig": [
                        "maxOutputTokens": cap, "thinkingConfig": ["thinkingBudget": .int(Int64(budget))],
                    ],
                ]),
        ]
        return requests
    }

    /// Under a cap that leaves no budget Anthropic takes, thinking is off
    /// and no effort is asked either, from every client: a Gemini upstream
    /// would read the effort as a budget larger than the cap.
    @Test func anEffortWithNoBudgetUnderTheCapIsNotAsked() throws {
        let pivots = try Self.requests("high", maxTokens: 1_000).map { try $0.pivotRequest().body }
        #expect(pivots.map { $0["thinking"] } == [nil, nil, nil, nil])
        #expect(pivots.map { $0["output_config"] } == [nil, nil, nil, nil])
    }

    /// Every client's budget is fitted under its own cap by one rule: where
    /// it must be lowered, the answer keeps half the cap, up to 4 096
    /// tokens, and thinking is off when Anthropic's least (1 024) does not
    /// leave it that. A Gemini client's own `thinkingBudget` (the last) is
    /// its own split of its own cap, kept while below it.
    @Test(
        arguments: [
            ("high", 100_000, 24_576, 24_576), ("high", 8_192, 4_096, 4_096), ("xhigh", 32_000, 27_648, 27_648),
            ("medium", 8_193, 4_097, 8_192), ("medium", 8_192, 4_096, 4_096), ("medium", 2_048, 1_024, 1_024),
            ("medium", 2_047, nil, nil), ("low", 2_048, 1_024, 1_024), ("low", 2_047, nil, 1_024),
            ("low", 1_024, nil, nil), ("minimal", 1, nil, nil),
        ] as [(String, Int, Int?, Int?)])
    func everyClientFitsTheBudgetUnderItsCapAlike(effort: String, maxTokens: Int, budget: Int?, own: Int?) throws {
        let expected: [JSONValue?] = [budget.map { .int(Int64($0)) }, .int(Int64(maxTokens))]
        let expectedOwn: [JSONValue?] = [own.map { .int(Int64($0)) }, .int(Int64(maxTokens))]
        #expect(try Self.fitted(effort, maxTokens: maxTokens) == Array(repeating: expected, count: 3) + [expectedOwn])
    }

    /// Every client is told alike what became of its budget, in its own
    /// cap's name at the field that asked: a note when it was lowered, a
    /// warning when thinking is off.
    @Test func everyClientIsToldWhatBecameOfItsBudget() throws {
        func diagnostics(_ maxTokens: Int) throws -> [[ConversionDiagnostic]] {
            try Self.requests("high", maxTokens: maxTokens).map { try $0.pivotRequest().diagnostics }
        }
        let asked = [
            ("/reasoning_effort", "max_completion_tokens"), ("/reasoning/effort", "max_output_tokens"),
            ("/generationConfig/thinkingConfig/thinkingLevel", "maxOutputTokens"),
            ("/generationConfig/thinkingConfig/thinkingBudget", "maxOutputTokens"),
        ]
        #expect(
            try diagnostics(5_000)
                == asked.map { path, cap in
                    let message =
                        "thinking budget 24576 made 2500: at least Anthropic's least, leaving the answer 2500 of "
                        + "\(cap) 5000"
                    return [ConversionDiagnostic(severity: .info, path: path, message: message)]
                })
        #expect(
            try diagnostics(2_000)
                == asked.map { path, cap in
                    let message =
                        "\(cap) 2000 leaves no room for Anthropic's least thinking budget and an answer; thinking off"
                    return [ConversionDiagnostic(severity: .warning, path: path, message: message)]
                })
    }

    /// A Gemini budget under Anthropic's least is raised to it in the
    /// pivot, not left for an Anthropic upstream to refuse.
    @Test func aGeminiBudgetUnderTheLeastIsRaised() throws {
        let converted = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false),
            body: [
                "contents": [["role": "user", "parts": [["text": "Hi"]]]],
                "generationConfig": ["maxOutputTokens": 4_096, "thinkingConfig": ["thinkingBudget": 512]],
            ]
        ).pivotRequest()
        #expect(converted.body["thinking"] == ["type": "enabled", "budget_tokens": 1_024])
        #expect(converted.body["max_tokens"] == 4_096)
    }

    @Test(arguments: [
        ("minimal", 1_024), ("low", 1_024), ("medium", 8_192), ("high", 24_576), ("xhigh", 27_648),
    ])
    func everyClientGetsTheSameBudget(effort: String, budget: Int) throws {
        #expect(try Self.budgets(effort) == Array(repeating: .int(Int64(budget)), count: 3))
    }

    /// A cap the client left unset leaves one room, 4 096, for the answer
    /// after the budget in every client (a Gemini client's default of 8 192
    /// being its least), so even `xhigh` stays within Claude Opus 4's
    /// 32 000 output tokens: a Gemini client's `high` once made 32 768.
    @Test(
        arguments: [
            ("minimal", [5_120, 5_120, 8_192]), ("low", [5_120, 5_120, 8_192]), ("medium", [12_288, 12_288, 12_288]),
            ("high", [28_672, 28_672, 28_672]), ("xhigh", [31_744, 31_744, 31_744]),
        ] as [(String, [Int])])
    func anUnsetCapLeavesTheSameRoomAfterTheBudget(effort: String, maxTokens: [Int]) throws {
        #expect(try Self.pivots(effort).map(\.["max_tokens"]) == maxTokens.map { .int(Int64($0)) })
    }

    /// A budget fitted under the client's cap reaches a Gemini upstream as
    /// fitted, not as the effort's budget, which is over the cap.
    @Test func aFittedBudgetReachesAGeminiUpstreamAsFitted() throws {
        let route = RouteOptions(modelID: "m", upstreamDialect: .gemini, upstreamModel: "up")
        let configs = try Self.requests("high", maxTokens: 5_000).prefix(2).map {
            try $0.upstreamBody(route: route).body["generationConfig"]
        }
        let expected: JSONValue = [
            "maxOutputTokens": 5_000, "thinkingConfig": ["thinkingBudget": 2_500, "includeThoughts": true],
        ]
        #expect(configs == [expected, expected])
    }
}

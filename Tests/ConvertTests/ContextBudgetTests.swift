import Testing
import Wire

@testable import Convert

@Suite struct ContextBudgetTests {
    private static let request: JSONValue = [
        "model": "m", "max_tokens": 4000, "messages": [["role": "user", "content": "Say hello to everyone"]],
    ]
    private static let estimate = TokenEstimator.estimateInputTokens(anthropicRequest: request)

    private static func route(context: Int?, cap: Int? = nil) -> RouteOptions {
        RouteOptions(
            modelID: "r", upstreamDialect: .openai, upstreamModel: "u", maxTokensCap: cap, contextWindow: context)
    }

    @Test func noWindowChangesNothing() throws {
        let fitted = try ContextBudget.fit(anthropicRequest: Self.request, route: Self.route(context: nil, cap: 7))
        #expect(fitted.route == Self.route(context: nil, cap: 7) && fitted.diagnostics.isEmpty)
    }

    @Test func capIsWhatTheWindowLeavesWithADiagnosticWhenTheClientAskedForMore() throws {
        let window = Self.estimate + 100
        let fitted = try ContextBudget.fit(anthropicRequest: Self.request, route: Self.route(context: window))
        #expect(fitted.route.maxTokensCap == 100)
        #expect(fitted.route.contextWindow == window)
        #expect(fitted.diagnostics.map(\.path) == ["/max_tokens"])
        #expect(fitted.diagnostics.first?.message.contains("leaves 100 of the route's \(window)-token") == true)

        let lowerCap = try ContextBudget.fit(
            anthropicRequest: Self.request, route: Self.route(context: window, cap: 50))
        #expect(lowerCap.route.maxTokensCap == 50 && lowerCap.diagnostics.isEmpty)

        let roomy = try ContextBudget.fit(anthropicRequest: Self.request, route: Self.route(context: window + 10_000))
        #expect(roomy.route.maxTokensCap == 10_100 && roomy.diagnostics.isEmpty)
    }

    @Test func inputFillingTheWindowIsAnthropicsPromptIsTooLong() throws {
        #expect(
            try ContextBudget.fit(anthropicRequest: Self.request, route: Self.route(context: Self.estimate + 1)).route
                .maxTokensCap == 1)
        #expect {
            try ContextBudget.fit(anthropicRequest: Self.request, route: Self.route(context: Self.estimate))
        } throws: { error in
            let apiError = error as? APIError
            return apiError?.status == 400 && apiError?.type == "invalid_request_error"
                && apiError?.message.hasPrefix(
                    "prompt is too long: about \(Self.estimate) tokens > \(Self.estimate) maximum (estimated; ") == true
        }
        // Claude Code (2.1.327) reads the counts with this pattern to size
        // its compaction: both must come out.
        let claudeCodePattern = /prompt is too long[^0-9]*(\d+)\s*tokens?\s*>\s*(\d+)/.ignoresCase()
        do {
            _ = try ContextBudget.fit(anthropicRequest: Self.request, route: Self.route(context: Self.estimate))
        } catch {
            let match = try #require(error.message.firstMatch(of: claudeCodePattern))
            #expect(Int(match.output.1) == Self.estimate && Int(match.output.2) == Self.estimate)
        }
    }
}

import Testing

@testable import Convert

/// The efforts the config lets a route name are the ones the converters
/// act on: each turns thinking off or has a budget.
@Suite struct RouteEffortTests {
    @Test func everyRouteEffortTurnsThinkingOffOrHasABudget() {
        for effort in RouteOptions.reasoningEfforts {
            var route = RouteOptions(modelID: "m", upstreamDialect: .openai, upstreamModel: "u")
            route.reasoningEffort = effort
            let off = MinimalReasoning.applies(to: route)
            let budgeted = ReasoningEffortMapping.budget(forEffort: effort) != nil
            #expect(off || budgeted, "\(effort) neither turns thinking off nor has a budget")
        }
        #expect(MinimalReasoning.efforts.allSatisfy(RouteOptions.reasoningEfforts.contains))
    }
}

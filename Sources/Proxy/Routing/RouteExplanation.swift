import Cassette
import Convert

/// `proxy route MODEL`: which entry a model name goes to and why, in the
/// order the router decides: the exact `model_id`, else the most specific
/// matching alias (naming the others that match too), else the default.
public struct RouteExplanation: Sendable {
    /// The model name asked about.
    public let model: String
    /// The entry chosen, or nil when nothing serves the name.
    public let route: ModelRouter.Route?
    /// Every alias that matches, in the order they are tried; the first one
    /// wins when there is no exact id.
    public let matchingAliases: [ModelAlias]
    let router: ModelRouter

    public init(model: String, router: ModelRouter) {
        self.model = model
        self.router = router
        route = router.route(model: model)
        matchingAliases = router.aliasesInMatchOrder.filter { GlobPattern($0.pattern).matches(model) }
    }

    /// What to print: the entry and its upstream on the first line, the
    /// reason after. Nothing secret.
    public var description: String {
        guard let route else {
            return """
                `\(model)` is not served: no model_id equals it, no alias matches it, and there is no `default`.
                Configured ids: \(router.modelIDs.joined(separator: ", ")).
                A client asking for it gets 404 not_found_error. Add it to an entry's `aliases` (a glob such as \
                "\(Self.suggestedGlob(model))"), or set `default:` in \(router.config.file).
                """
        }
        let entry = route.entry
        let upstreamModel = entry.modelName == ModelEntry.passThroughModelName ? model : entry.modelName
        let upstream =
            entry.provider.map { "provider \($0) (\(Self.redactor.url(entry.apiBase)))" }
            ?? Self.redactor.url(entry.apiBase)
        var lines = [
            "`\(model)` -> entry `\(entry.modelID)`: \(entry.format.rawValue) at \(upstream) as `\(upstreamModel)`"
        ]
        switch route.match {
        case .exact:
            lines.append("Why: it is that entry's model_id (an exact id wins over every alias).")
        case .alias(let pattern):
            let others = matchingAliases.dropFirst().map { "`\($0.pattern)` (-> \($0.modelID))" }
            var why = "Why: no model_id equals it; it matches the alias `\(pattern)`"
            why +=
                others.isEmpty
                ? "."
                : ", the most specific of the aliases that match (also: \(others.joined(separator: ", ")))."
            lines.append(why)
        case .fallback:
            lines.append("Why: no model_id equals it and no alias matches; `\(entry.modelID)` is the `default`.")
        case .scenario(let scenario):
            lines.append("Why: the request is `\(scenario.rawValue)`, which `router:` sends to `\(entry.modelID)`.")
        }
        if !entry.fallback.isEmpty {
            lines.append(
                "Fallbacks: \(entry.fallback.map { "`\($0)`" }.joined(separator: ", ")), in turn, when `\(entry.modelID)` "
                    + "answers 429 or 5xx or cannot be reached before the answer starts.")
        }
        lines += scenarioNotes
        if let provider = entry.provider, !entry.subscriptionReady {
            let supported = SubscriptionProvider(rawValue: provider) != nil
            lines.append(
                supported
                    ? "Note: provider `\(provider)` has no login; requests fail until `proxy login --\(provider)`."
                    : "Note: provider `\(provider)` is not a subscription this build knows; requests fail."
            )
        }
        return lines.joined(separator: "\n")
    }

    /// The `router:` scenarios, which decide by what a request holds
    /// before its model name is looked at.
    private var scenarioNotes: [String] {
        let scenarios = router.config.scenarios
        guard !scenarios.isEmpty else { return [] }
        let listed = scenarios.inOrder.map { item in
            var text = "\(item.scenario.rawValue) -> `\(item.modelID)`"
            if item.scenario == .longContext { text += " (input above \(scenarios.longContextThreshold) tokens)" }
            if item.scenario == .background, RequestScenario.isBackgroundModel(model) {
                text += " (this name is a background name: it contains `haiku`)"
            }
            return text
        }
        return [
            "Scenarios may override this by request content (router:, first that applies): "
                + listed.joined(separator: ", ") + "."
        ]
    }

    private static let redactor = Redactor()

    /// `claude-3-5-haiku-20241022` -> `claude-*`: the name's first word and a star.
    private static func suggestedGlob(_ model: String) -> String {
        guard let dash = model.firstIndex(where: { $0 == "-" || $0 == "/" || $0 == ":" }) else { return model + "*" }
        return String(model[...dash]) + "*"
    }
}

extension ModelRouter {
    /// Which entry `model` goes to, and why.
    public func explain(model: String) -> RouteExplanation {
        RouteExplanation(model: model, router: self)
    }
}

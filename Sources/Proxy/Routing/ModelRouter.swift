import Convert

/// Picks the config entry for a request: the entry of the first configured
/// scenario the request is (see ``RequestScenario``), else by its model
/// name: the exact `model_id`, else the most specific matching glob alias,
/// else the `default`.
public struct ModelRouter: Sendable {
    /// How a request found its entry, for logs and the cassette.
    public enum Match: Sendable, Hashable {
        case exact
        case alias(String)
        case fallback
        /// The `router:` section's entry for what the request is.
        case scenario(RequestScenario)
    }

    /// An entry chosen for a request.
    public struct Route: Sendable {
        public var entry: ModelEntry
        public var match: Match

        /// The `router:` scenario that chose the entry, if one did.
        public var scenario: RequestScenario? {
            if case .scenario(let scenario) = match { return scenario }
            return nil
        }
    }

    private struct CompiledAlias: Sendable {
        var pattern: GlobPattern
        var entryIndex: Int
    }

    public let config: ProxyConfig
    private let entryIndexByID: [String: Int]
    /// Most specific first; the sort is stable, so equal ones stay in file
    /// order (entries' own aliases, then the top-level map).
    private let aliases: [CompiledAlias]
    private let defaultIndex: Int?

    public init(config: ProxyConfig) {
        self.config = config
        var indexByID: [String: Int] = [:]
        for (index, entry) in config.models.enumerated() where indexByID[entry.modelID] == nil {
            indexByID[entry.modelID] = index
        }
        entryIndexByID = indexByID
        var compiled: [CompiledAlias] = []
        for (index, entry) in config.models.enumerated() {
            compiled += entry.aliases.map { CompiledAlias(pattern: GlobPattern($0), entryIndex: index) }
        }
        for alias in config.aliases {
            guard let index = indexByID[alias.modelID] else { continue }
            compiled.append(CompiledAlias(pattern: GlobPattern(alias.pattern), entryIndex: index))
        }
        aliases = compiled.enumerated()
            .sorted { ($0.element.pattern.specificity, -$0.offset) > ($1.element.pattern.specificity, -$1.offset) }
            .map(\.element)
        defaultIndex = config.defaultModelID.flatMap { indexByID[$0] }
    }

    /// The entry a request for `model` goes to whatever it holds, or nil
    /// when nothing matches and there is no default: the background
    /// scenario's, when configured and `model` is a background name (the
    /// one scenario the name alone decides, ahead of the name's own entry,
    /// as ``route(for:)`` decides it), else ``route(byName:)``. What
    /// `proxy route`, `GET /v1/models/{id}` and the token counts go by.
    public func route(model: String) -> Route? {
        if let modelID = config.scenarios.modelIDs[.background], let index = entryIndexByID[modelID],
            RequestScenario.isBackgroundModel(model)
        {
            return Route(entry: config.models[index], match: .scenario(.background))
        }
        return route(byName: model)
    }

    /// The entry `model` names: its `model_id`, else the most specific
    /// alias, else the default; nil when none.
    func route(byName model: String) -> Route? {
        if let index = entryIndexByID[model] { return Route(entry: config.models[index], match: .exact) }
        if let alias = aliases.first(where: { $0.pattern.matches(model) }) {
            return Route(entry: config.models[alias.entryIndex], match: .alias(alias.pattern.text))
        }
        if let defaultIndex { return Route(entry: config.models[defaultIndex], match: .fallback) }
        return nil
    }

    /// The entry for `request`: a configured scenario's when the request is
    /// one, else by its model name (``route(byName:)``).
    public func route(for request: ClientRequest) -> Route? {
        if let scenario = scenario(of: request), let modelID = config.scenarios.modelIDs[scenario],
            let index = entryIndexByID[modelID]
        {
            return Route(entry: config.models[index], match: .scenario(scenario))
        }
        return route(byName: request.model)
    }

    /// The first configured scenario `request` is, if any. The request is
    /// read into the pivot only when a scenario needs its content.
    public func scenario(of request: ClientRequest) -> RequestScenario? {
        let scenarios = config.scenarios
        guard !scenarios.isEmpty else { return nil }
        let needsContent = scenarios.modelIDs.keys.contains { $0 != .background }
        // A request that cannot be read is refused later, by its conversion,
        // with the reason; here it is routed by its model name.
        let pivot = needsContent ? try? request.pivotRequest().body : nil
        return scenarios.inOrder.first {
            $0.scenario.applies(model: request.model, pivot: pivot, threshold: scenarios.longContextThreshold)
        }?.scenario
    }

    /// The configured model ids, in file order, for "unknown model" errors.
    public var modelIDs: [String] { config.models.map(\.modelID) }

    /// Every alias, entries' own and the top-level map's, in the order they
    /// are tried: most literal characters first, ties in file order.
    public var aliasesInMatchOrder: [ModelAlias] {
        aliases.map { ModelAlias(pattern: $0.pattern.text, modelID: config.models[$0.entryIndex].modelID) }
    }
}

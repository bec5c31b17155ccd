import Convert
/// Picks the config entry for a client's model name: the exact `model_id`,
/// else the most specific matching glob alias, else the `default`.
public struct ModelRouter: Sendable {
    /// How a request found its entry, for logs and the cassette.
    public enum Match: Sendable, Hashable {
        case exact
        case alias(String)
        case fallback
    }

    /// An entry chosen for a request.
    public struct Route: Sendable {
        public var entry: ModelEntry
        public var match: Match
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

    /// The entry for `model`, or nil when nothing matches and there is no
    /// default.
    public func route(model: String) -> Route? {
        if let index = entryIndexByID[model] { return Route(entry: config.models[index], match: .exact) }
        if let alias = aliases.first(where: { $0.pattern.matches(model) }) {
            return Route(entry: config.models[alias.entryIndex], match: .alias(alias.pattern.text))
        }
        if let defaultIndex { return Route(entry: config.models[defaultIndex], match: .fallback) }
        return nil
    }

    /// The configured model ids, in file order, for "unknown model" errors.
    public var modelIDs: [String] { config.models.map(\.modelID) }

    /// Every alias, entries' own and the top-level map's, in the order they
    /// are tried: most literal characters first, ties in file order.
    public var aliasesInMatchOrder: [ModelAlias] {
        aliases.map { ModelAlias(pattern: $0.pattern.text, modelID: config.models[$0.entryIndex].modelID) }
    }
}

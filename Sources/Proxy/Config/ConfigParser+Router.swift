import Yams

/// The `router:` section and the entries' `fallback:` lists: model ids,
/// checked against the entries like aliases are.
extension ConfigParser {
    static let routerFields = RequestScenario.allCases.map(\.rawValue) + ["long_context_threshold"]

    mutating func scenarioRoutes(_ node: Node, known: [String]) throws(ConfigError) -> ScenarioRoutes {
        guard case .mapping(let mapping) = node else {
            throw failure(
                at: node, "`router` must be a mapping of scenario to model_id",
                fix: "Write it as `router:` then lines like `  background: fast` "
                    + "(scenarios: \(RequestScenario.allCases.map(\.rawValue).joined(separator: ", "))).")
        }
        try checkFields(of: mapping, allowed: Self.routerFields, what: "router")
        var routes = ScenarioRoutes()
        for scenario in RequestScenario.allCases {
            guard let target = mapping[scenario.rawValue], !target.isNull else {
                continue
            }
            let modelID = try nonEmptyString(target, field: "router.\(scenario.rawValue)")
            try requireKnown(modelID, in: known, at: target, field: "router.\(scenario.rawValue)")
            routes.modelIDs[scenario] = modelID
        }
        if let threshold = mapping["long_context_threshold"] {
            routes.longContextThreshold = try tokenCount(threshold, field: "long_context_threshold")
        }
        return routes
    }

    /// An entry's `fallback:` list: known ids, not the entry itself, each once.
    func fallbackList(_ entryNode: Node, of modelID: String, known: [String]) throws(ConfigError) -> [String] {
        guard case .mapping(let mapping) = entryNode, let node = mapping["fallback"],
            !node.isNull
        else { return [] }
        let items: [Node]
        switch node {
        case .scalar: items = [node]
        case .sequence(let sequence): items = Array(sequence)
        default:
            throw failure(
                at: node, "`fallback` must be a list of model ids", fix: "Write it as `fallback: [backup, other]`.")
        }
        var ids: [String] = []
        for item in items {
            let id = try nonEmptyString(item, field: "fallback")
            try requireKnown(id, in: known, at: item, field: "fallback")
            if id == modelID {
                throw failure(
                    at: item, "`fallback` of `\(modelID)` names the entry itself",
                    fix: "List other entries' model ids; the entry itself is always tried first.")
            }
            if ids.contains(id) {
                throw failure(at: item, "`fallback` names `\(id)` twice", fix: "List each model id once.")
            }
            ids.append(id)
        }
        return ids
    }
}

import Cassette

/// `proxy config check`'s report: every entry with where it sends requests,
/// then the aliases in the order they are tried, then what happens to any
/// other model name. Nothing secret: a key shows only as whose it is.
public struct RoutingTable: Sendable {
    public let router: ModelRouter

    public init(config: ProxyConfig) {
        router = ModelRouter(config: config)
    }

    /// The report's text, ending in a newline.
    public func render() -> String {
        let config = router.config
        let aliases = router.aliasesInMatchOrder
        var lines = [
            "\(config.file): \(Self.count(config.models.count, "model")), \(Self.count(aliases.count, "alias"))"
                + (config.defaultModelID.map { ", default `\($0)`" } ?? ", no default"),
            "",
        ]
        var table = TextTable(header: [
            "MODEL ID", "FORMAT", "UPSTREAM MODEL", "API BASE", "KEY", "MAX OUTPUT", "CONTEXT", "STREAM",
        ])
        for entry in config.models {
            table.append([
                entry.modelID, entry.format.rawValue,
                entry.modelName == ModelEntry.passThroughModelName ? "(as asked)" : entry.modelName,
                entry.provider.map { entry.subscriptionReady ? "\($0) login" : "provider \($0) (no login)" }
                    ?? Self.redactor.url(entry.apiBase),
                entry.provider != nil ? "login" : entry.apiKey == nil ? "client's" : "api_key",
                entry.maxTokens.map(String.init) ?? "-", entry.contextWindow.map(String.init) ?? "-",
                entry.canStream ? "yes" : "no (synthesized)",
            ])
        }
        lines += table.lines
        lines.append("")
        if aliases.isEmpty {
            lines.append("No aliases: a model name must equal a model id.")
        } else {
            lines.append("Aliases, tried after the exact ids, in this order (most literal characters first):")
            var aliasTable = TextTable(header: ["PATTERN", "MODEL ID"])
            for alias in aliases { aliasTable.append([alias.pattern, alias.modelID]) }
            lines += aliasTable.lines.map { "  " + $0 }
        }
        let withFallbacks = config.models.filter { !$0.fallback.isEmpty }
        if !withFallbacks.isEmpty {
            lines.append("Fallbacks, tried in turn on 429, 5xx or no connection before the answer starts:")
            for entry in withFallbacks {
                lines.append("  \(entry.modelID) -> \(entry.fallback.joined(separator: ", "))")
            }
        }
        // As `proxy config print` writes them, secret header values redacted.
        let rules = config.models.flatMap { entry in
            EffectiveConfigPrinter().ruleTexts(entry.rules).map { [entry.modelID, $0] }
        }
        if !rules.isEmpty {
            lines.append("Rules, applied in this order (the top-level ones first):")
            var ruleTable = TextTable(header: ["MODEL ID", "RULE"])
            for row in rules { ruleTable.append(row) }
            lines += ruleTable.lines.map { "  " + $0 }
        }
        if !config.scenarios.isEmpty {
            lines.append(
                "Scenarios (router:), tried before the model name, first that applies "
                    + "(long_context: input above \(config.scenarios.longContextThreshold) tokens):")
            var scenarioTable = TextTable(header: ["SCENARIO", "MODEL ID"])
            for item in config.scenarios.inOrder { scenarioTable.append([item.scenario.rawValue, item.modelID]) }
            lines += scenarioTable.lines.map { "  " + $0 }
        }
        if let defaultID = config.defaultModelID {
            lines.append("Any other model name goes to `\(defaultID)` (the default).")
        } else {
            lines.append("Any other model name gets 404 not_found_error (there is no `default`).")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static let redactor = Redactor()

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : noun.hasSuffix("s") ? "es" : "s")"
    }
}

import Testing

@testable import Proxy

/// README, Routing: the most specific matching glob wins (most literal
/// characters); ties go to the entries' own aliases before the top-level
/// map's, wherever it is written, then to the first in the file.
@Suite struct RoutingTieBreakTests {
    private func router(_ yaml: String) throws -> ModelRouter {
        ModelRouter(config: try ProxyConfig.parse(yaml: yaml, file: "tie.yaml"))
    }

    /// `claude*` and `*-haiku` both have six literal characters.
    @Test func equallySpecificAliasesGoToTheFirstEntryInTheFile() throws {
        let first = try router(
            """
            models:
              - {model_id: a, model_name: a, api_base: "http://u", format: openai, aliases: ["claude*"]}
              - {model_id: b, model_name: b, api_base: "http://u", format: openai, aliases: ["*-haiku"]}
            """)
        #expect(first.route(model: "claude-haiku")?.entry.modelID == "a")
        let swapped = try router(
            """
            models:
              - {model_id: b, model_name: b, api_base: "http://u", format: openai, aliases: ["*-haiku"]}
              - {model_id: a, model_name: a, api_base: "http://u", format: openai, aliases: ["claude*"]}
            """)
        #expect(swapped.route(model: "claude-haiku")?.entry.modelID == "b")
    }

    @Test func withinOneEntryTheFirstEquallySpecificAliasIsTheMatch() throws {
        let router = try router(
            """
            models:
              - {model_id: a, model_name: a, api_base: "http://u", format: openai, aliases: ["*-haiku", "claude*"]}
            """)
        #expect(router.route(model: "claude-haiku")?.match == .alias("*-haiku"))
    }

    @Test func entriesAliasesWinTiesOverTheTopLevelMapWhereverItIsWritten() throws {
        let router = try router(
            """
            aliases:
              "claude*": top
            models:
              - {model_id: top, model_name: t, api_base: "http://u", format: openai}
              - {model_id: entry, model_name: e, api_base: "http://u", format: openai, aliases: ["*-haiku"]}
            """)
        #expect(router.route(model: "claude-haiku")?.entry.modelID == "entry")
        // A more specific top-level alias still wins: specificity comes first.
        let specific = try self.router(
            """
            aliases:
              "claude-h*": top
            models:
              - {model_id: top, model_name: t, api_base: "http://u", format: openai}
              - {model_id: entry, model_name: e, api_base: "http://u", format: openai, aliases: ["*-haiku"]}
            """)
        #expect(specific.route(model: "claude-haiku")?.entry.modelID == "top")
    }

    /// An alias whose very pattern an earlier one has can never match: said
    /// at load (it looked live in `config check`).
    @Test func anAliasThatCanNeverMatchIsWarnedOf() throws {
        let config = try ProxyConfig.parse(
            yaml: """
                aliases:
                  "claude-*": top
                models:
                  - {model_id: top, model_name: t, api_base: "http://u", format: openai}
                  - {model_id: e1, model_name: e, api_base: "http://u", format: openai, aliases: ["claude-*"]}
                  - {model_id: e2, model_name: e, api_base: "http://u", format: openai, aliases: ["claude-*", "x"]}
                """, file: "tie.yaml")
        #expect(
            config.warnings.map(\.description) == [
                "tie.yaml: warning: alias `claude-*` -> e2 never matches: entry `e1` has the same alias, which wins "
                    + "the tie (an entry's own aliases come before the top-level map, then file order)",
                "tie.yaml:2:3: warning: alias `claude-*` -> top never matches: entry `e1` has the same alias, which "
                    + "wins the tie (an entry's own aliases come before the top-level map, then file order)",
            ])
        #expect(ModelRouter(config: config).route(model: "claude-x")?.entry.modelID == "e1")
    }
}

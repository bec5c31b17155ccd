import Convert
import Testing
import Wire

@testable import Proxy

/// Every config error names the file and the line, and says what to do.
@Suite struct ConfigErrorTests {
    private func error(_ yaml: String, environment: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try ProxyConfig.parse(yaml: yaml, file: "conf/models.yaml", environment: environment)
            return nil
        } catch {
            return error
        }
    }

    private static let entry = """
        models:
          - model_id: a
            model_name: m
            api_base: https://example.com/v1
            format: openai

        """

    @Test func badYAMLPointsAtTheLine() throws {
        let failure = try #require(error("models:\n  - model_id: a\n    model_name: [unclosed\n"))
        #expect(failure.file == "conf/models.yaml")
        #expect(failure.line == 4)
        #expect(failure.problem.hasPrefix("invalid YAML"))
        #expect(failure.description.hasPrefix("conf/models.yaml:4:"))
    }

    @Test func missingFieldNamesTheEntryAndField() throws {
        let failure = try #require(error("models:\n  - model_id: a\n    model_name: m\n    format: openai\n"))
        #expect(failure.line == 2)
        #expect(failure.problem == "model entry `a` has no `api_base`")
        #expect(failure.fix.contains("https://api.openai.com/v1"))
    }

    @Test func unknownFormatListsTheKnownOnes() throws {
        let failure = try #require(error(Self.entry.replacingOccurrences(of: "format: openai", with: "format: opena")))
        #expect(failure.line == 5)
        #expect(failure.problem == "unknown format `opena`")
        #expect(failure.fix.hasPrefix("Did you mean `openai`? Use one of `openai` ("))
        for format in ["openai-responses", "gemini", "anthropic"] { #expect(failure.fix.contains("`\(format)`")) }
    }

    @Test func otherNamesForAFormatSuggestIt() throws {
        let suggestions = [
            "responses": "openai-responses", "openai_responses": "openai-responses", "google": "gemini",
            "Vertex-AI": "gemini", "claude": "anthropic", "chat-completions": "openai", "geminii": "gemini",
        ]
        for (written, meant) in suggestions {
            let failure = try #require(
                error(Self.entry.replacingOccurrences(of: "format: openai", with: "format: \(written)")))
            #expect(failure.problem == "unknown format `\(written)`")
            #expect(failure.fix.hasPrefix("Did you mean `\(meant)`?"), "\(written)")
        }
        let nothingLike = try #require(
            error(Self.entry.replacingOccurrences(of: "format: openai", with: "format: xml")))
        #expect(nothingLike.fix.hasPrefix("Use one of "))
    }

    @Test func aKeyInTheBaseURLIsRefused() throws {
        let failure = try #require(
            error(
                Self.entry.replacingOccurrences(of: "https://example.com/v1", with: "https://example.com/v1?key=s3cret")
            ))
        #expect(failure.line == 4)
        #expect(failure.problem == "`api_base` carries a key in its query (`key=`)")
        #expect(!failure.description.contains("s3cret"))
        #expect(failure.fix.contains("api_key"))
    }

    @Test func authIsBearerOrXAPIKey() throws {
        let failure = try #require(error(Self.entry + "    auth: basic\n"))
        #expect(failure.line == 6)
        #expect(failure.problem == "`auth` is `basic`, which is not a way to send a key")
        #expect(failure.fix.contains("`auth: bearer`") && failure.fix.contains("`auth: x-api-key`"))
        let parsed = try ProxyConfig.parse(yaml: Self.entry + "    auth: Bearer\n", file: "conf/models.yaml")
        #expect(parsed.models.first?.keyAuth == .bearer)
    }

    @Test func undefinedEnvironmentVariableNamesIt() throws {
        let failure = try #require(error(Self.entry + "    api_key: ${NOT_SET_ANYWHERE}\n"))
        #expect(failure.line == 6)
        #expect(failure.problem == "environment variable `NOT_SET_ANYWHERE` is not set")
        #expect(failure.fix.contains("export NOT_SET_ANYWHERE="))
    }

    /// A key written where its variable's name belongs (`${sk-...}`, or
    /// tizee's `api_key_name: sk-...`) is not quoted back: the error goes to
    /// the terminal and the daemon's log.
    @Test(arguments: ["api_key: ${sk-LITKEY-kkk}", "api_key_name: sk-LITKEY-kkk"])
    func aKeyWhereAVariableNameBelongsIsNotQuoted(field: String) throws {
        let failure = try #require(error(Self.entry + "    \(field)\n"))
        #expect(failure.line == 6)
        #expect(failure.problem.hasPrefix("a `${...}` reference holds no environment variable's name"))
        #expect(!"\(failure)".contains("LITKEY"))
        #expect(!failure.fix.contains("export"))
    }

    @Test func typoInAFieldNameSuggestsTheRightOne() throws {
        let failure = try #require(error(Self.entry + "    api-key: k\n"))
        #expect(failure.line == 6)
        #expect(failure.problem == "unknown model entry field `api-key`")
        #expect(failure.fix.hasPrefix("Did you mean `api_key`?"))
    }

    /// Two neighbouring letters swapped count as one slip, at the top level
    /// too: `defualt` was ignored with a warning, and every model it should
    /// have caught got a 404.
    @Test func swappedLettersSuggestTheRightField() throws {
        let top = try #require(error(Self.entry + "defualt: a\n"))
        #expect(top.line == 6)
        #expect(top.problem == "unknown top-level field `defualt`")
        #expect(top.fix.hasPrefix("Did you mean `default`?"), "\(top.fix)")
        let entry = try #require(error(Self.entry + "    modle_name: m\n"))
        #expect(entry.problem == "unknown model entry field `modle_name`")
        #expect(entry.fix.hasPrefix("Did you mean `model_name`?"), "\(entry.fix)")
        #expect(!Spelling.looksAlike("default", "tluafed"))
        #expect(!Spelling.looksAlike("models", "mdoles"))
    }

    /// An effort the converters do not know reached the upstream as written.
    @Test func reasoningEffortMustBeAnEffort() throws {
        let unknown = try #require(error(Self.entry + "    reasoning_effort: extreme\n"))
        #expect(unknown.line == 6)
        #expect(unknown.problem == "`reasoning_effort` `extreme` is not an effort")
        #expect(unknown.fix == "Use one of: none, minimal, low, medium, high, xhigh.")
        let typo = try #require(error(Self.entry + "    reasoning_effort: meduim\n"))
        #expect(typo.fix == "Did you mean `medium`? Use one of: none, minimal, low, medium, high, xhigh.")
        let max = try #require(error(Self.entry + "    reasoning_effort: max\n"))
        #expect(max.fix.hasPrefix("Did you mean `xhigh`?"), "\(max.fix)")
        let parsed = try ProxyConfig.parse(yaml: Self.entry + "    reasoning_effort: High\n", file: "models.yaml")
        #expect(parsed.models.first?.reasoningEffort == "high")
    }

    /// A policy the converters do not know would have sent the format
    /// as `send` does, without a word.
    @Test func structuredOutputMustBeAPolicy() throws {
        let unknown = try #require(error(Self.entry + "    structured_output: schema\n"))
        #expect(unknown.line == 6)
        #expect(unknown.problem == "`structured_output` `schema` of `a` is not a policy")
        #expect(unknown.fix == "Use one of: send, json_object, drop.")
        let typo = try #require(error(Self.entry + "    structured_output: json_objct\n"))
        #expect(typo.fix.hasPrefix("Did you mean `json_object`?"), "\(typo.fix)")
        let parsed = try ProxyConfig.parse(yaml: Self.entry + "    structured_output: JSON_Object\n", file: "m.yaml")
        #expect(parsed.models.first?.structuredOutput == .jsonObject)
        #expect(parsed.models.first?.routeOptions(requestedModel: "a").json["structured_output"] == "json_object")
    }

    @Test func badSizeAndTimeoutAndURL() throws {
        let size = try #require(error(Self.entry + "    max_tokens: lots\n"))
        #expect(size.line == 6 && size.problem == "`max_tokens` is not a token count")
        let timeout = try #require(error(Self.entry + "    timeout: forever\n"))
        #expect(timeout.line == 6 && timeout.problem == "`timeout` is not a duration")
        let limit = try #require(error(Self.entry + "    max_stream_duration: 0\n"))
        #expect(limit.line == 6 && limit.problem == "`max_stream_duration` is not a positive duration")
        let url = try #require(error(Self.entry.replacingOccurrences(of: "https://example.com/v1", with: "example")))
        #expect(url.line == 4 && url.problem.contains("is not an http(s) URL"))
    }

    @Test func aliasesAndDefaultMustNameAnEntry() throws {
        let alias = try #require(error(Self.entry + "aliases:\n  \"claude-*\": nope\n"))
        #expect(alias.line == 7)
        #expect(alias.problem == "`aliases.claude-*` names model_id `nope`, which no entry defines")
        #expect(alias.fix == "Use one of: a.")
        let fallback = try #require(error(Self.entry + "default: nope\n"))
        #expect(fallback.line == 6)
    }

    @Test func duplicateIDsAndEmptyModels() throws {
        let duplicate = try #require(error(Self.entry + Self.entry.replacingOccurrences(of: "models:\n", with: "")))
        #expect(duplicate.line == 6)
        #expect(duplicate.problem == "model_id `a` is defined twice")
        let empty = try #require(error("models: []\n"))
        #expect(empty.line == 1 && empty.problem == "`models` must be a non-empty list")
        let none = try #require(error("default: a\n"))
        #expect(none.problem == "there is no `models:` list")
    }

    @Test func missingFileIsAConfigErrorToo() throws {
        #expect(throws: ConfigError.self) { try ProxyConfig.load(path: "/nonexistent/models.yaml") }
    }
}

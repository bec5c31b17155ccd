import Foundation

/// The parsed `models.yaml`: the models clients can ask for, and how a
/// requested model name finds one of them.
///
/// ```yaml
/// default: main                 # optional: serves any model nothing else matches
/// aliases:                      # optional: glob -> model_id, after the entries' own aliases
///   "claude-*": main
/// models:
///   - model_id: main
///     model_name: deepseek-chat
///     api_base: https://api.deepseek.com/v1
///     format: openai
///     api_key: ${DEEPSEEK_API_KEY}
///     aliases: ["claude-*haiku*"]
/// ```
public struct ProxyConfig: Sendable {
    /// The entries, in file order.
    public var models: [ModelEntry]
    /// The top-level `aliases:` map, in file order.
    public var aliases: [ModelAlias]
    /// The `default:` model id.
    public var defaultModelID: String?
    /// The top-level `rules:`. Each entry's ``ModelEntry/rules`` begins
    /// with them already; they are kept apart so `proxy config print` can
    /// write them where the file had them.
    public var rules = ConfiguredRules()
    /// The `router:` section: entries chosen by what a request is.
    public var scenarios = ScenarioRoutes()
    /// The top-level `allowed_hosts:`: `Host` names a request may carry
    /// besides loopback ones, added to `--allowed-host`
    /// (``HostOriginPolicy``).
    public var allowedHosts: [String] = []
    /// The top-level `allowed_origins:`: web pages (`Origin`) a request may
    /// come from besides loopback ones, added to `--allowed-origin`.
    public var allowedOrigins: [String] = []
    /// Where the config was read from (for messages).
    public var file: String
    /// What the file holds that does not stop start-up (unknown fields,
    /// settings kept but not acted on), to show the user.
    public var warnings: [ConfigWarning] = []
    /// The file's stamp as it was just before ``load(path:environment:)``
    /// read it: where ``ConfigReloader`` starts watching from.
    var fileStamp: FileStamp?

    public init(models: [ModelEntry], aliases: [ModelAlias] = [], defaultModelID: String? = nil, file: String = "") {
        self.models = models
        self.aliases = aliases
        self.defaultModelID = defaultModelID
        self.file = file
    }

    /// Reads and checks the config at `path`. `${NAME}` references are
    /// expanded from `environment`.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> ProxyConfig {
        // Before the read: a change made after it then differs from this
        // stamp, and the reloader takes it (at worst reading the same text twice).
        let stamp = FileStamp(path: path)
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(
                file: path, problem: "cannot read the config (\(error.localizedDescription))",
                fix: "Check the path given to --config, or remove the flag to use the default config.")
        }
        var config = try parse(yaml: text, file: path, environment: environment)
        config.fileStamp = stamp
        return config
    }

    /// Parses config text; `file` names it in errors.
    public static func parse(
        yaml: String, file: String, environment: [String: String] = [:]
    ) throws(ConfigError) -> ProxyConfig {
        var parser = ConfigParser(file: file, environment: environment)
        return try parser.parse(yaml)
    }

    /// The entry with exactly this `model_id`.
    public func model(id: String) -> ModelEntry? {
        models.first { $0.modelID == id }
    }
}

/// A top-level alias: client model names matching `pattern` go to `modelID`.
public struct ModelAlias: Sendable, Hashable {
    /// A glob: `*` matches any run of characters, `?` one character.
    public var pattern: String
    public var modelID: String

    public init(pattern: String, modelID: String) {
        self.pattern = pattern
        self.modelID = modelID
    }
}

/// The routes of `proxy serve --demo`: every model name goes, as OpenAI Chat
/// Completions, to a local stub upstream that replays the built-in demo
/// cassette. The demo thereby shows the real Anthropic <-> OpenAI conversion
/// with no config file, no key and no network.
///
/// `tools/make-demo-cassette.sh` records the demo cassette through a route
/// with the same ``modelName``, so a request like the recorded one matches it
/// exactly.
public enum DemoConfig {
    /// The only entry's `model_id`; it is also the default, so any model name
    /// a client sends (Claude Code's own included) is served by it.
    public static let modelID = "demo"
    /// The model name the upstream sees, as in the recording.
    public static let modelName = "switchboard-demo"
    /// Sent to the stub so clients need no key of their own; the stub ignores
    /// it and cassettes store only its fingerprint.
    public static let apiKey = "sk-switchboard-demo"
    /// What ``ProxyConfig/file`` says, for banners and messages.
    public static let source = "the built-in demo"

    /// The demo routes, to a stub upstream listening on `host`:`upstreamPort`.
    public static func make(upstreamPort: Int, host: String = "127.0.0.1") -> ProxyConfig {
        let entry = ModelEntry(
            modelID: modelID, modelName: modelName, apiBase: "http://\(host):\(upstreamPort)/v1", format: .openai,
            apiKey: Secret(apiKey), contextWindow: 128_000)
        return ProxyConfig(models: [entry], defaultModelID: modelID, file: source)
    }
}

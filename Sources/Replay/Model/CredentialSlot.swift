import Cassette

/// Where a recorded secret belongs when a request is re-sent: cassettes hold
/// `[redacted:…]` fingerprints, so curl exports and `log-replay send` put the
/// key back from an environment variable named for the API the path speaks.
public enum CredentialSlot {
    /// Headers that describe one connection or one encoding of the body, not
    /// the request, so a re-sent request must not copy them.
    static let connectionHeaders: Set<String> = [
        "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
        "proxy-connection", "accept-encoding",
    ]

    /// True when `name` (any case) carries a credential: the recorder's own
    /// rule (``Redactor/isSecretName(_:)``), so every header a cassette
    /// holds as a fingerprint is put back from a variable or left out, never
    /// re-sent as `[redacted:…]`.
    public static func isSecret(header name: String) -> Bool { Redactor.isSecretName(name) }

    /// The environment variable that holds the key for `path`'s API:
    /// `OPENAI_API_KEY` for Chat Completions and Responses paths,
    /// `GEMINI_API_KEY` for Gemini paths, `ANTHROPIC_API_KEY` otherwise.
    public static func environmentVariable(forPath path: String) -> String {
        if path.contains(":generateContent") || path.contains(":streamGenerateContent") || path.hasPrefix("/v1beta/") {
            return "GEMINI_API_KEY"
        }
        if path.contains("/chat/completions") || path.hasSuffix("/responses") || path.contains("/embeddings") {
            return "OPENAI_API_KEY"
        }
        return "ANTHROPIC_API_KEY"
    }

    /// The variable for a secret header: `x-api-key` is Anthropic's,
    /// `x-goog-api-key` Gemini's, `api-key` Azure OpenAI's; a bearer token
    /// belongs to whichever API the path speaks. Nil for cookies, which have
    /// no variable and are left out.
    public static func environmentVariable(header name: String, path: String) -> String? {
        switch name.lowercased() {
        case "x-api-key": "ANTHROPIC_API_KEY"
        case "x-goog-api-key": "GEMINI_API_KEY"
        case "api-key": "OPENAI_API_KEY"
        case "authorization", "proxy-authorization": environmentVariable(forPath: path)
        default: nil
        }
    }

    /// The variable for a query parameter the recorder fingerprinted: one
    /// named by ``isSecret(header:)``'s rule whose recorded `value` is a
    /// fingerprint (a `pageToken=abc`, recorded as it came, is sent as it
    /// came). `key=` is Gemini's; any other (`api_key=`, `token=`) belongs
    /// to whichever API the path speaks. Nil for any other parameter.
    public static func environmentVariable(queryParameter name: String, value: String, path: String) -> String? {
        guard Redactor.isSecretName(name), value.hasPrefix("[redacted:") else { return nil }
        return name.lowercased() == "key" ? "GEMINI_API_KEY" : environmentVariable(forPath: path)
    }

    /// The header value with the key in place of `reference`, keeping a
    /// `Bearer ` scheme when the recorded value had one.
    static func value(recorded: String, header name: String, key reference: String) -> String {
        let lowered = name.lowercased()
        guard lowered == "authorization" || lowered == "proxy-authorization" else { return reference }
        let scheme = recorded.split(separator: " ", maxSplits: 1).first.map(String.init) ?? "Bearer"
        return (scheme.hasPrefix("[redacted") ? "Bearer" : scheme) + " " + reference
    }
}

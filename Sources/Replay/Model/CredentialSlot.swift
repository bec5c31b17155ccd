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
    /// belongs to whichever API the path speaks. Any other header
    /// ``isSecret(header:)`` names (a gateway's `x-auth-token`) has a
    /// variable of its own, ``variable(namedAfter:)``: it was recorded as a
    /// fingerprint, and was left out of a re-sent request without a word.
    /// Nil for cookies, which have no variable and are left out.
    public static func environmentVariable(header name: String, path: String) -> String? {
        switch name.lowercased() {
        case "x-api-key": "ANTHROPIC_API_KEY"
        case "x-goog-api-key": "GEMINI_API_KEY"
        case "api-key": "OPENAI_API_KEY"
        case "authorization", "proxy-authorization": environmentVariable(forPath: path)
        case "cookie", "set-cookie": nil
        default: variable(namedAfter: name)
        }
    }

    /// What the variable of a header no API owns starts with, so it cannot
    /// be taken for a variable the user has for something else.
    public static let headerVariablePrefix = "SWITCHBOARD_HEADER_"

    /// ``headerVariablePrefix`` and `header` in capitals, each character
    /// other than an ASCII letter or digit (which a variable's name cannot
    /// hold) as `_`: `x-auth-token` is `SWITCHBOARD_HEADER_X_AUTH_TOKEN`.
    public static func variable(namedAfter header: String) -> String {
        let name = header.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }
        return headerVariablePrefix + String(name)
    }

    /// Where each recorded secret is put back from, for `log-replay send
    /// --help`: written from the rules above and the recorder's words, so
    /// the help cannot miss one.
    public static var variablesHelp: String {
        "x-api-key from ANTHROPIC_API_KEY, x-goog-api-key and key= from GEMINI_API_KEY, api-key from "
            + "OPENAI_API_KEY; Authorization and any other secret query parameter from the one of these the "
            + "path's API uses; any other header whose name holds \(Redactor.secretNameWordList) from "
            + "\(headerVariablePrefix)<NAME> (x-auth-token from \(variable(namedAfter: "x-auth-token"))). "
            + "A header or parameter whose variable is unset is left out, and its line ends \"(unset: $NAME)\". "
            + "Cookies are left out."
    }

    /// Whether `name` is a variable this type names: an `…API_KEY` or a
    /// header's own (``headerVariablePrefix``), so that a curl command
    /// leaves `$` before it unescaped.
    static func isVariable(_ name: some StringProtocol) -> Bool {
        name.hasSuffix("API_KEY") || name.hasPrefix(headerVariablePrefix)
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

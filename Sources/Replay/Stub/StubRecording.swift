import Wire

/// One recorded upstream request the stub can answer, keyed for matching.
public struct StubRecording: Sendable {
    public var exchangeID: String
    public var file: String
    public var method: String
    /// The path of the recorded upstream URL, without scheme, host or query.
    public var path: String
    /// The request body with volatile fields removed and keys sorted; nil
    /// when there was no body.
    public var canonicalBody: JSONValue?
    /// ``canonicalBody`` as text, the hash key for identical requests.
    public var matchKey: String
    /// The machine a Claude Code request was recorded on; nil for other
    /// clients, and when matching compares the environment exactly.
    public var environment: ClaudeCodeEnvironment?
    public var reply: StubReply

    /// Nil when the exchange never reached the upstream. With
    /// `normalizingEnvironment`, a Claude Code request's environment is
    /// normalised out of ``canonicalBody`` (see ``ClaudeCodeEnvironment``).
    init?(exchange: Exchange, ignoring: [JSONPointerPattern], normalizingEnvironment: Bool = true) {
        guard let request = exchange.upstreamRequest, let reply = StubReply(exchange: exchange) else { return nil }
        exchangeID = exchange.id
        file = exchange.file
        method = request["method"]?.stringValue?.uppercased() ?? "POST"
        path = Self.path(ofURL: request["url"]?.stringValue ?? request["path"]?.stringValue ?? "/")
        let body = Self.canonical(
            request.bodyBytes ?? [], ignoring: ignoring, normalizingEnvironment: normalizingEnvironment)
        canonicalBody = body.canonical
        environment = body.environment
        matchKey = Self.key(canonicalBody)
        self.reply = reply
    }

    /// A body as matching sees it: JSON with volatile fields removed and keys
    /// sorted, or the text itself when it is not JSON. With
    /// `normalizingEnvironment`, a Claude Code request also has its
    /// environment replaced by placeholders, and `environment` says what
    /// it was.
    static func canonical(
        _ bytes: [UInt8], ignoring: [JSONPointerPattern], normalizingEnvironment: Bool
    ) -> (canonical: JSONValue?, environment: ClaudeCodeEnvironment?) {
        if bytes.isEmpty { return (nil, nil) }
        guard var json = try? JSONValue(parsing: bytes) else {
            return (.string(String(decoding: bytes, as: UTF8.self)), nil)
        }
        var environment: ClaudeCodeEnvironment?
        if normalizingEnvironment, let found = ClaudeCodeEnvironment(request: json) {
            environment = found
            json = found.normalized(json)
        }
        return (json.removing(ignoring).sortedKeys(), environment)
    }

    static func key(_ canonical: JSONValue?) -> String { canonical?.serializedString() ?? "" }

    /// `https://host:443/v1/chat/completions?key=…` -> `/v1/chat/completions`.
    static func path(ofURL url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        if let mark = rest.firstIndex(of: "?") { rest = rest[..<mark] }
        return rest.isEmpty ? "/" : String(rest)
    }

    /// Paths match when equal, or when one ends with the other at a segment
    /// boundary, so a stub mounted without the provider's `/v1` prefix (or
    /// with an extra one) still answers.
    static func pathsMatch(_ recorded: String, _ incoming: String) -> Bool {
        if recorded == incoming { return true }
        let (longer, shorter) = recorded.count > incoming.count ? (recorded, incoming) : (incoming, recorded)
        return shorter.hasPrefix("/") && shorter.count > 1 && longer.hasSuffix(shorter)
    }
}

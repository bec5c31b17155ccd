import Wire

/// The message id and tool-call ids a converted answer gives the client.
///
/// Claude Code merges assistant messages that share an id, and keeps only
/// the first of tool calls that share one (with its result): an upstream
/// that repeats its ids (Ollama's OpenAI endpoint answers `chatcmpl-<0..999>`,
/// some servers `call_0` on every turn, or one id on parallel calls) made it
/// send one assistant message holding every turn's calls, the turns gone.
///
/// Strong ids come out as the upstream sent them, so recordings replay
/// unchanged. Weak ones are made unique from ``seed``, the exchange's own id
/// (``RouteOptions/idSeed``): recorded in the cassette's `route` line, so
/// `log-replay verify` makes the same ids again; never random, never a
/// clock. Without a seed (recordings from before it was recorded, callers
/// with no exchange) every id comes out as it did before.
///
/// Weak means:
/// - no id, or an empty one;
/// - an id whose part after a known prefix (``knownPrefixes``) is shorter
///   than ``minimumMessageIDLength`` (a message id) or
///   ``minimumToolCallIDLength`` (a tool call id): too short to be random
///   enough, a counter or a small random number;
/// - a tool call id an earlier call of the same answer already had.
///
/// What real providers send is strong: message ids of 23 (Gemini) to 50
/// (Responses) characters; tool call ids of `call_` + 24 (OpenAI,
/// DeepSeek's `call_00_` + 24), 9 random alphanumerics (Groq, Mistral),
/// `chatcmpl-tool-` + 16 hex (vLLM), `toolu_` + 24 (Anthropic).
struct AnswerIDs: Sendable {
    /// The exchange's id, nil for no strengthening at all.
    let seed: String?

    /// The prefixes servers put before the part that tells ids apart,
    /// longest first where one starts another.
    static let knownPrefixes = ["chatcmpl-tool-", "chatcmpl-", "call_", "toolu_", "resp_", "msg_", "fc_"]
    /// Fewer characters than this after the prefix is a weak message id.
    static let minimumMessageIDLength = 16
    /// Fewer characters than this after the prefix is a weak tool call id:
    /// lower than for messages, as Groq's and Mistral's 9 random
    /// characters (and Ollama's `call_` + 8) are unique enough.
    static let minimumToolCallIDLength = 8

    init(seed: String?) {
        self.seed = seed
    }

    /// The seed the route carries for its exchange.
    init(route: RouteOptions) {
        self.init(seed: route.idSeed)
    }

    /// `msg_` + the upstream's id when it is strong (or there is no seed);
    /// else, with a seed, `msg_` + the weak id and `_` + a hash of the seed
    /// (only the hash when there is no id). With neither a strong id nor a
    /// seed, a hash of `fallbackSeed`.
    func messageID(upstreamID: String?, fallbackSeed: JSONValue) -> String {
        let upstreamID = upstreamID.flatMap { $0.isEmpty ? nil : $0 }
        if let seed, upstreamID.map({ Self.isWeak($0, minimumLength: Self.minimumMessageIDLength) }) ?? true {
            let unique = StableHash.hex(seed.utf8)
            return "msg_" + (upstreamID.map { $0 + "_" + unique } ?? unique)
        }
        if let upstreamID { return "msg_" + upstreamID }
        return "msg_" + StableHash.hex(fallbackSeed.serialized())
    }

    /// The id of the answer's call at `index` (its position, or its stream
    /// slot), `upstreamID` being what the upstream called it and `earlier`
    /// the ids this answer's calls before it were given.
    ///
    /// No upstream id: `toolu_<messageID>_<index>`, unique when the message
    /// id is. A strong one not used before: as it came. With a seed, a weak
    /// or repeated one becomes `toolu_` + a hash of the seed, the index and
    /// the upstream id: the index tells apart the calls of one answer, the
    /// seed those of two answers.
    func toolUseID(upstreamID: String?, messageID: String, index: Int, earlier: Set<String>) -> String {
        guard let upstreamID, !upstreamID.isEmpty else { return "toolu_\(messageID)_\(index)" }
        guard let seed,
            earlier.contains(upstreamID) || Self.isWeak(upstreamID, minimumLength: Self.minimumToolCallIDLength)
        else { return upstreamID }
        return "toolu_" + StableHash.hex("\(seed)/\(index)/\(upstreamID)".utf8)
    }

    /// Whether `id`, without a known prefix, has fewer than `minimumLength` characters.
    static func isWeak(_ id: String, minimumLength: Int) -> Bool {
        let prefix = knownPrefixes.first { id.hasPrefix($0) }
        return id.count - (prefix?.count ?? 0) < minimumLength
    }
}

/// A server of OpenAI's Chat format whose rules are stricter than OpenAI's
/// own, so a converted request is fitted to it (`chat_server` in the
/// config; ``RouteOptions/chatServer``).
public enum ChatServer: String, Sendable, Hashable, Codable, CaseIterable {
    /// Mistral's API (and a server hosting Mistral's models with its
    /// tokenizer, as vLLM does), which answers 400 or 422 to what OpenAI
    /// takes:
    /// - a tool call id that is not nine letters and digits ("Tool call id
    ///   was toolu_01... but must be a-z, A-Z, 0-9, with a length of 9"):
    ///   a conversation whose calls came from Claude, OpenAI or Gemini (a
    ///   `/model` switch, a fallback) failed on every turn. Ids are fitted
    ///   (``UpstreamToolCallID/mistralFitted(_:)``);
    /// - a member its schema does not name (422 `extra_forbidden`): `user`
    ///   (from `metadata.user_id`, which Claude Code always sends) and
    ///   `stream_options` (its streams carry usage in the last chunk
    ///   anyway) are not sent, and `seed` goes as its `random_seed`.
    case mistral

    /// The server a route's `api_base` host names, for a route that does
    /// not say; nil for OpenAI's rules.
    public static func serving(host: String) -> ChatServer? {
        host == "api.mistral.ai" || host == "codestral.mistral.ai" ? .mistral : nil
    }
}

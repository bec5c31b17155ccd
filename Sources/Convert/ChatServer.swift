import Wire

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

extension ChatServer {
    /// A Chat client's own request, passed through to this server, fitted
    /// to its rules as a converted one is (an OpenAI SDK session moved to
    /// Mistral, or falling back to it, carries `call_...` ids): ids fitted
    /// in the calls and their results alike, `user` and `stream_options`
    /// not sent, `seed` as `random_seed`. Nothing is copied when nothing
    /// needs fitting.
    /// - Returns: one note for the ids, one for the members.
    func fitPassedThrough(_ request: inout JSONObject) -> [ConversionDiagnostic] {
        var diagnostics: [ConversionDiagnostic] = []
        if let messages = request["messages"]?.arrayValue, messages.contains(where: Self.hasForeignToolCallID) {
            request["messages"] = .array(messages.map(Self.fittingToolCallIDs))
            diagnostics.append(
                .info(
                    "/messages", "tool call ids not of Mistral's form sent as nine letters and digits of their SHA-256")
            )
        }
        var dropped: [String] = []
        for name in ["user", "stream_options"] where request.removeValue(forKey: name) != nil { dropped.append(name) }
        if let seed = request.removeValue(forKey: "seed") {
            request["random_seed"] = seed
            dropped.append("seed (sent as random_seed)")
        }
        if !dropped.isEmpty {
            diagnostics.append(
                .info("/", "not sent to Mistral, which refuses them: " + dropped.joined(separator: ", ")))
        }
        return diagnostics
    }

    private static func hasForeignToolCallID(_ message: JSONValue) -> Bool {
        let ids = [message["tool_call_id"]] + (message["tool_calls"]?.arrayValue ?? []).map { $0["id"] }
        return ids.contains { id in id?.stringValue.map { UpstreamToolCallID.mistralFitted($0) != $0 } ?? false }
    }

    private static func fittingToolCallIDs(_ message: JSONValue) -> JSONValue {
        var message = message
        if let id = message["tool_call_id"]?.stringValue {
            message["tool_call_id"] = .string(UpstreamToolCallID.mistralFitted(id))
        }
        if let calls = message["tool_calls"]?.arrayValue {
            message["tool_calls"] = .array(
                calls.map { call in
                    guard let id = call["id"]?.stringValue else { return call }
                    var call = call
                    call["id"] = .string(UpstreamToolCallID.mistralFitted(id))
                    return call
                })
        }
        return message
    }
}

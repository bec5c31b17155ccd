import Wire

/// Thinking blocks an Anthropic upstream would refuse: Anthropic checks
/// every thinking block's signature, so a block whose reasoning came from
/// another provider (OpenAI `reasoning_content` with no signature, a
/// Responses reasoning item, a Gemini thought) makes the whole request a
/// 400. Such blocks are dropped from any request bound for an Anthropic
/// upstream; other upstreams read them as their own reasoning.
///
/// Anthropic clients are no exception: Claude Code keeps the thinking blocks
/// an earlier route gave it (a DeepSeek or Gemini model's reasoning, with an
/// empty or `gemini:` signature), and after `/model` switches the session to
/// a Claude route, every request of the session was refused ("Invalid
/// signature in thinking block"), the known way model routers break it.
enum UnverifiableThinking {
    /// The signature prefixes other providers' reasoning travels under.
    static let foreignPrefixes = [
        OpenAIResponsesReasoningSignature.prefix, GeminiThoughtSignature.thinkingPrefix, HiddenThinking.carrierPrefix,
    ]

    /// Takes the thinking blocks no Anthropic upstream can verify out of
    /// `request`; false, with the request untouched, when it has none: the
    /// usual case, looked for without copying anything.
    static func drop(from request: inout ConvertedRequest) -> Bool {
        guard case .object(var body) = request.body, case .array(var messages)? = body["messages"],
            messages.contains(where: { message in
                message["content"]?.arrayValue?.contains(where: isUnverifiable) == true
            })
        else {
            return false
        }
        for index in messages.indices {
            guard case .array(let content)? = messages[index]["content"] else { continue }
            let kept = content.filter { !isUnverifiable($0) }
            guard kept.count != content.count else { continue }
            messages[index]["content"] = .array(kept)
            request.diagnostics.append(
                .info(
                    "/messages/\(index)",
                    "reasoning from another provider dropped: an Anthropic upstream accepts only its own signed thinking"
                ))
        }
        body["messages"] = .array(messages)
        request.body = .object(body)
        return true
    }

    /// A thinking block with no signature, or one another provider's
    /// reasoning travels under.
    private static func isUnverifiable(_ block: JSONValue) -> Bool {
        // Compared as a string: `== "thinking"` would make a JSONValue of
        // the literal for every block of every Claude Code request.
        guard block["type"]?.stringValue == "thinking" else { return false }
        let signature = block["signature"]?.stringValue ?? ""
        return signature.isEmpty || foreignPrefixes.contains { signature.hasPrefix($0) }
    }
}

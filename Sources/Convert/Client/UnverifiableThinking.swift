import Wire

/// Thinking blocks an Anthropic upstream would refuse: Anthropic checks
/// every thinking block's signature, so a block whose reasoning came from
/// another provider (OpenAI `reasoning_content` with no signature, a
/// Responses reasoning item, a Gemini thought) makes the whole request a
/// 400. Such blocks are dropped from a converted request bound for an
/// Anthropic upstream; other upstreams read them as their own reasoning.
enum UnverifiableThinking {
    /// The signature prefixes other providers' reasoning travels under.
    static let foreignPrefixes = [OpenAIResponsesReasoningSignature.prefix, GeminiThoughtSignature.thinkingPrefix]

    /// `request` without the thinking blocks no Anthropic upstream can verify.
    static func dropped(from request: ConvertedRequest) -> ConvertedRequest {
        guard case .object(var body) = request.body, case .array(var messages)? = body["messages"] else {
            return request
        }
        var diagnostics = request.diagnostics
        for index in messages.indices {
            guard case .array(let content)? = messages[index]["content"] else { continue }
            let kept = content.filter { block in
                guard block["type"] == "thinking" else { return true }
                let signature = block["signature"]?.stringValue ?? ""
                return !signature.isEmpty && !foreignPrefixes.contains { signature.hasPrefix($0) }
            }
            guard kept.count != content.count else { continue }
            messages[index]["content"] = .array(kept)
            diagnostics.append(
                .info(
                    "/messages/\(index)",
                    "reasoning from another provider dropped: an Anthropic upstream accepts only its own signed thinking"
                ))
        }
        body["messages"] = .array(messages)
        return ConvertedRequest(body: .object(body), diagnostics: diagnostics)
    }
}

import Wire

/// Builds a Gemini `content.parts` list from pivot content blocks, in order.
struct GeminiClientParts {
    private(set) var parts: [JSONObject] = []

    /// `{"role": "model", "parts": [...]}`, or nil when there are no parts:
    /// Gemini clients choke on an empty `parts` array, so `content` is left out.
    var content: JSONObject? {
        parts.isEmpty ? nil : ["role": "model", "parts": .array(parts.map(JSONValue.object))]
    }

    mutating func add(_ block: ContentBlock) {
        switch block {
        case .text(let text):
            if !text.isEmpty { parts.append(["text": .string(text)]) }
        case .thinking(let thinking, let signature):
            addThought(thinking, signature: GeminiClientMapping.thoughtSignature(fromThinking: signature))
        case .toolUse(let id, let name, let input):
            parts.append(GeminiClientMapping.functionCallPart(id: id, name: name, args: input))
        case .redactedThinking, .serverToolUse, .unknown:
            // Nothing a Gemini client can show or send back.
            break
        }
    }

    /// A thought part. A text-less thought's signature goes back on the text
    /// part before it when that has none, as Gemini returned it (the
    /// upstream direction carries a text part's signature that way);
    /// otherwise it is an empty thought part of its own.
    mutating func addThought(_ text: String, signature: String?) {
        if text.isEmpty {
            guard let signature else { return }
            if let last = parts.indices.last, parts[last]["thought"] == nil, parts[last]["text"] != nil,
                parts[last]["thoughtSignature"] == nil
            {
                parts[last]["thoughtSignature"] = .string(signature)
                return
            }
        }
        // A signature-only thought has no `text`: google-genai before 1.60
        // takes a part whose text is "" for a failed answer.
        var part: JSONObject = text.isEmpty ? ["thought": true] : ["text": .string(text), "thought": true]
        if let signature { part["thoughtSignature"] = .string(signature) }
        parts.append(part)
    }
}

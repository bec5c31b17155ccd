import Wire

/// How reasoning that no OpenAI model wrote travels through an OpenAI
/// Responses client and comes back on the next request.
///
/// A Responses client keeps a `reasoning` item's `encrypted_content` and
/// sends it back as it came (`store: false` conversations, and every
/// conversation through this stateless proxy), but other providers' reasoning
/// has no such field: an Anthropic thinking signature, a `redacted_thinking`
/// block's data, a Gemini thought signature (`gemini:` in the pivot), or the
/// unsigned reasoning text a DeepSeek-like upstream wants back as
/// `reasoning_content`. Without a carrier the item came back empty and was
/// dropped, which turned an Anthropic route's thinking off for every tool
/// loop turn. So the pivot block itself goes in `encrypted_content`:
/// `pivot:` + the base64 of its JSON (`thinking` with its text and signature,
/// or `redacted_thinking` with its data). OpenAI's own encrypted content is
/// base64 and never starts with the prefix; it keeps its own handling
/// (``OpenAIResponsesReasoningSignature``).
///
/// It is given whether or not the client asked for
/// `include: ["reasoning.encrypted_content"]`: OpenAI only fills the field
/// on request because it can otherwise find the item by its id, which this
/// proxy, keeping nothing, cannot.
enum OpenAIResponsesCarriedReasoning {
    static let prefix = "pivot:"

    /// The `encrypted_content` for a pivot reasoning block: OpenAI's own
    /// for a block that carries it, the block behind ``prefix`` for any
    /// other with something to send back; nil for a thinking block with
    /// neither text nor signature, or a block that is not reasoning.
    static func encryptedContent(for block: ContentBlock) -> String? {
        switch block {
        case .thinking(let thinking, let signature):
            if let encrypted = OpenAIResponsesReasoningSignature.encryptedContent(fromSignature: signature) {
                return encrypted
            }
            guard !thinking.isEmpty || !signature.isEmpty else { return nil }
        case .redactedThinking:
            break
        default:
            return nil
        }
        return prefix + Base64.encode(block.json.serialized())
    }

    /// The pivot block a client's `encrypted_content` carries; nil when it
    /// is not one this proxy made (OpenAI's own).
    /// - Throws: 400 when it has the prefix but is not a reasoning block:
    ///   the client changed what it was given.
    static func block(fromEncryptedContent encrypted: String, path: String) throws(APIError) -> JSONValue? {
        guard encrypted.hasPrefix(prefix) else { return nil }
        let block = Base64.decode(encrypted.dropFirst(prefix.count)).flatMap { try? JSONValue(parsing: $0) }
        switch block.map(ContentBlock.init(json:)) {
        case let reasoning? where reasoning.isReasoning:
            // Rebuilt from its known fields, so nothing else a client put in rides along.
            return reasoning.json
        default:
            throw .invalidRequest(
                "\(path)/encrypted_content: not the reasoning this proxy returned; send encrypted_content back as it came"
            )
        }
    }
}

extension ContentBlock {
    /// Whether the block is the model's reasoning, visible or redacted.
    fileprivate var isReasoning: Bool {
        switch self {
        case .thinking, .redactedThinking: true
        default: false
        }
    }
}

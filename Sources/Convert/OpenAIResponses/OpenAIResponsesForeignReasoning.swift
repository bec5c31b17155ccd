import Wire

/// Reasoning no OpenAI model wrote, taken out of a Responses client's
/// request before it is passed through to an OpenAI Responses upstream.
///
/// A Responses client that an earlier route served through the pivot (a
/// fallback to Claude, a Gemini or DeepSeek route) holds that provider's
/// reasoning in `reasoning` items whose `encrypted_content` starts with
/// ``OpenAIResponsesCarriedReasoning/prefix``, and sends them back; OpenAI
/// cannot decrypt them and answers 400, on that turn and every later one
/// (a 400 is not a reason to fall back). They are dropped, as the
/// converted request drops another provider's reasoning for OpenAI, with a
/// note each; OpenAI's own items and everything else go as they came.
enum OpenAIResponsesForeignReasoning {
    /// Drops the foreign `reasoning` items from `body`'s `input`, with a
    /// note for each; when there are none (looked for without copying
    /// anything) the body is untouched.
    static func drop(from body: inout JSONObject) -> [ConversionDiagnostic] {
        guard case .array(let input)? = body["input"], input.contains(where: isForeign) else { return [] }
        var diagnostics: [ConversionDiagnostic] = []
        var kept: [JSONValue] = []
        kept.reserveCapacity(input.count)
        for (index, item) in input.enumerated() {
            guard isForeign(item) else {
                kept.append(item)
                continue
            }
            diagnostics.append(
                .info("/input/\(index)", "reasoning from another provider is not sent to OpenAI; dropped"))
        }
        body["input"] = .array(kept)
        return diagnostics
    }

    private static func isForeign(_ item: JSONValue) -> Bool {
        item["type"]?.stringValue == "reasoning"
            && item["encrypted_content"]?.stringValue?.hasPrefix(OpenAIResponsesCarriedReasoning.prefix) == true
    }
}

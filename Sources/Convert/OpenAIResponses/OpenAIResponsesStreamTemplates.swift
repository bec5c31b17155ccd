import Wire

/// The objects a Responses stream writes in every answer, built once by
/// ``OpenAIResponsesClientItems`` (so they keep its shapes) and kept as
/// ``JSONTemplate``s: a stream writes only the values that change.
enum OpenAIResponsesStreamTemplates {
    /// `response` while in progress: holes 0 the id, 1 the model, 2
    /// `created_at`.
    static let inProgressResponse = JSONTemplate(
        OpenAIResponsesClientItems.response(
            id: JSONTemplate.hole(0), model: JSONTemplate.hole(1), createdAt: .string(JSONTemplate.hole(2)),
            status: "in_progress", output: [], usage: .null))

    /// The final `response` of a `completed` stream: holes 0 the id, 1 the
    /// model, 2 the output items (inside the array's brackets), 3 the usage,
    /// 4 `created_at`.
    static let completedResponse = finalResponse(status: "completed")
    /// The same for a stream `incomplete` at its token limit.
    static let incompleteResponse = finalResponse(status: "incomplete", incompleteReason: "max_output_tokens")
    /// The same for a refusal, `incomplete` as OpenAI's content filter makes it.
    static let refusedResponse = finalResponse(status: "incomplete", incompleteReason: "content_filter")

    /// An open `message` item: hole 0 its id.
    static let openMessage = JSONTemplate(
        OpenAIResponsesClientItems.messageItem(id: JSONTemplate.hole(0), text: nil, status: "in_progress"))

    /// A finished `message` item: holes 0 its id, 1 its text.
    static let finishedMessage = JSONTemplate(
        OpenAIResponsesClientItems.messageItem(
            id: JSONTemplate.hole(0), text: JSONTemplate.hole(1), status: "completed"))

    /// An `output_text` part: hole 0 its text.
    static let textPart = JSONTemplate(OpenAIResponsesClientItems.outputTextPart(JSONTemplate.hole(0)))

    /// A `usage` object: holes 0 to 4 the input, cached, output, total and
    /// reasoning tokens. Building and serializing its tree was a fifth of the final
    /// event's cost.
    static let usage = JSONTemplate(
        OpenAIResponsesClientItems.usageObject(
            input: .string(JSONTemplate.hole(0)), cached: .string(JSONTemplate.hole(1)),
            output: .string(JSONTemplate.hole(2)), total: .string(JSONTemplate.hole(3)),
            reasoning: .string(JSONTemplate.hole(4))))

    private static func finalResponse(status: String, incompleteReason: String = "") -> JSONTemplate {
        JSONTemplate(
            OpenAIResponsesClientItems.response(
                id: JSONTemplate.hole(0), model: JSONTemplate.hole(1), createdAt: .string(JSONTemplate.hole(4)),
                status: status, output: [.string(JSONTemplate.hole(2))], usage: .string(JSONTemplate.hole(3)),
                incompleteReason: incompleteReason))
    }
}

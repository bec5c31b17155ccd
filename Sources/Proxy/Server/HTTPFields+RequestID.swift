import Convert
import HTTPTypes

extension HTTPField.Name {
    /// The exchange id, on every response: Anthropic's name, which its SDK
    /// reads.
    static let requestID = HTTPField.Name("request-id")!
    /// The exchange id under OpenAI's name: its SDKs read only this one
    /// (`_request_id`, `response.request_id`), so an OpenAI client saw none.
    static let openAIRequestID = HTTPField.Name("x-request-id")!
}

extension HTTPFields {
    /// Names the exchange `id` as a client of `dialect` reads it:
    /// `request-id` always (the README promises it on every response), and
    /// `x-request-id` too for OpenAI's clients. Google's APIs send no request
    /// id that google-genai reads, so a Gemini client gets nothing more.
    mutating func setRequestID(_ id: String, for dialect: Dialect) {
        self[.requestID] = id
        if dialect == .openai || dialect == .openaiResponses { self[.openAIRequestID] = id }
    }
}

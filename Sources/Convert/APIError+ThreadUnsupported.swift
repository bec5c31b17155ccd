import Wire

extension APIError {
    /// The `error_code` (in ``details``) of Anthropic's refusal of a request
    /// whose server-held thread cannot be kept.
    public static let threadUnsupportedRequest = "thread_unsupported_request"

    /// The refusal of a request carrying Anthropic's `thread` (a
    /// conversation the server holds between turns) on a route whose
    /// upstream keeps no conversation: a `continue` holds only the new turn,
    /// which the upstream would answer with no history. It is Anthropic's
    /// own 400, `thread_unsupported_request` with no `unsupported` list, on
    /// which the Anthropic SDK's thread helpers (the tool runner's default)
    /// stop threading and re-send the whole conversation.
    /// - Parameter upstream: the upstream's name, e.g. "OpenAI Chat Completions".
    static func threadUnsupported(upstream: String) -> APIError {
        var error = APIError.invalidRequest(
            "thread: server-held threads are not supported on this route, whose \(upstream) upstream keeps no "
                + "conversation; send the full conversation without thread")
        error.details = ["error_code": .string(threadUnsupportedRequest)]
        return error
    }
}

import Wire

/// Gemini Code Assist (`cloudcode-pa.googleapis.com/v1internal`) answers a
/// `generateContent` call, and each event of its stream, with the
/// `GenerateContentResponse` wrapped: `{"response": {...}, "traceId": ...}`.
/// A response of the public API never has a top-level `response`, so the
/// Gemini converters unwrap it wherever it comes from, and a replay converts
/// a Code Assist recording exactly as the proxy did.
public enum CodeAssistEnvelope {
    /// The wrapped `GenerateContentResponse` of a Code Assist answer;
    /// anything else unchanged.
    public static func unwrapped(_ answer: JSONValue) -> JSONValue {
        guard answer["candidates"] == nil, answer["error"] == nil, let inner = answer["response"],
            case .object = inner
        else { return answer }
        return inner
    }

    /// A `generateContent` body as Code Assist takes it: the upstream
    /// `model` and the Google Cloud `project` beside the body itself.
    public static func wrapped(_ request: JSONValue, model: String, project: String) -> JSONValue {
        .object(["model": .string(model), "project": .string(project), "request": request])
    }
}

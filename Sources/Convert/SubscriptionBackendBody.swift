import Foundation
import Wire

/// A converted body as a subscription backend takes it (Codex's settings,
/// Antigravity's envelope and system instruction; Gemini Code Assist's
/// envelope is ``CodeAssistEnvelope``). Pure JSON, so `log-replay verify`
/// shapes a replayed body as the proxy did.
public enum SubscriptionBackendBody {
    /// Used when a request has no system prompt: the backend refuses a
    /// request without instructions.
    public static let defaultInstructions = "You are a helpful coding assistant."

    /// The converted Responses body as the backend takes it: streamed
    /// (whatever the client asked; a non-streaming client gets the stream
    /// collected), not stored, with instructions, and without
    /// `max_output_tokens`, which the backend refuses.
    public static func codex(_ body: JSONValue) -> JSONValue {
        guard case .object(var object) = body else { return body }
        object["stream"] = true
        object["store"] = false
        if (object["instructions"]?.stringValue ?? "").isEmpty {
            object["instructions"] = .string(defaultInstructions)
        }
        object.removeValue(forKey: "max_output_tokens")
        return .object(object)
    }

    /// The first system part the backend expects.
    public static let identity =
        "You are Antigravity, a powerful agentic AI coding assistant designed by the Google DeepMind team working on "
        + "Advanced Agentic Coding.\nYou are pair programming with a USER to solve their coding task.\n"

    /// The thinking budget a `-thinking` Claude model is given when the
    /// client asked for none.
    public static let defaultThinkingBudget = 16384

    /// Whether `model` is one of the backend's Claude models that think.
    public static func isClaudeThinking(_ model: String) -> Bool {
        let name = model.lowercased()
        return name.contains("claude") && name.contains("thinking")
    }

    /// The converted `generateContent` body in Antigravity's envelope, for
    /// `model` billed to `project`.
    public static func antigravity(
        _ body: JSONValue, model: String, project: String,
        requestID: String = "agent-" + UUID().uuidString.lowercased()
    ) -> JSONValue {
        guard case .object(var request) = body else { return body }
        request["systemInstruction"] = withIdentity(request["systemInstruction"])
        if model.lowercased().contains("claude") {
            validateToolCalls(&request)
            if isClaudeThinking(model) { addThinkingBudget(&request) }
        }
        guard
            case .object(var envelope) = CodeAssistEnvelope.wrapped(
                .object(request), model: model, project: project)
        else { return body }
        envelope["userAgent"] = "antigravity"
        envelope["requestType"] = "agent"
        envelope["requestId"] = .string(requestID)
        return .object(envelope)
    }

    /// The system instruction with the identity first (unless a part
    /// already says it), as a user turn.
    private static func withIdentity(_ instruction: JSONValue?) -> JSONValue {
        var parts = instruction?["parts"]?.arrayValue ?? []
        if !parts.contains(where: { $0["text"]?.stringValue?.contains("You are Antigravity") == true }) {
            parts.insert(["text": .string(identity)], at: 0)
        }
        return ["role": "user", "parts": .array(parts)]
    }

    /// Claude models behind the backend call tools only in `VALIDATED`
    /// mode; a request that forbids calls (`NONE`) keeps that.
    private static func validateToolCalls(_ request: inout JSONObject) {
        guard request["tools"] != nil else { return }
        let configured = request["toolConfig"]?["functionCallingConfig"]
        guard configured?["mode"]?.stringValue != "NONE" else { return }
        var calling: JSONObject = ["mode": "VALIDATED"]
        if let allowed = configured?["allowedFunctionNames"] {
            calling["allowedFunctionNames"] = allowed
        }
        request["toolConfig"] = ["functionCallingConfig": .object(calling)]
    }

    /// A thinking budget when the client gave none, and an output limit
    /// above it, which the backend requires.
    private static func addThinkingBudget(_ request: inout JSONObject) {
        var generation = request["generationConfig"]?.objectValue ?? [:]
        var thinking = generation["thinkingConfig"]?.objectValue ?? [:]
        let budget = thinking["thinkingBudget"]?.intValue ?? defaultThinkingBudget
        thinking["includeThoughts"] = true
        thinking["thinkingBudget"] = .int(Int64(budget))
        generation["thinkingConfig"] = .object(thinking)
        if (generation["maxOutputTokens"]?.intValue ?? 0) <= budget {
            generation["maxOutputTokens"] = .int(Int64(budget + 8192))
        }
        request["generationConfig"] = .object(generation)
    }
}

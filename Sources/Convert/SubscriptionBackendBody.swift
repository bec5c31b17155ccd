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
    /// client asked for none and set no output cap below it.
    public static let defaultThinkingBudget = 16384
    /// The smallest budget Claude takes.
    public static let minimumThinkingBudget = 1024

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
        request["systemInstruction"] = withIdentity(take("systemInstruction", from: &request))
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
    /// mode; a request that forbids calls (`NONE`) keeps that. A forced call
    /// (`ANY`: Anthropic's `tool_choice` `any` or a named tool) becomes
    /// `VALIDATED` too, so the model may answer without calling.
    private static func validateToolCalls(_ request: inout JSONObject) {
        guard request["tools"] != nil else { return }
        let configured = take("toolConfig", from: &request)
        let calling = configured?[gemini: "functionCallingConfig"]
        guard calling?["mode"]?.stringValue != "NONE" else {
            request["toolConfig"] = configured
            return
        }
        var validated: JSONObject = ["mode": "VALIDATED"]
        if let allowed = calling?[gemini: "allowedFunctionNames"] {
            validated["allowedFunctionNames"] = allowed
        }
        request["toolConfig"] = ["functionCallingConfig": .object(validated)]
    }

    /// Thinking on, with a budget under the output cap, which the backend
    /// requires: the client's budget (at least the minimum), else the
    /// default fitted under the client's cap
    /// (``ReasoningEffortMapping/mostBudget(below:)``). The cap is raised only when no
    /// budget fits under it (a cap at or under the minimum, or a client
    /// budget above its own cap), by the budget; without a cap it is the
    /// budget and 8,192 more.
    private static func addThinkingBudget(_ request: inout JSONObject) {
        var generation = take("generationConfig", from: &request)?.objectValue ?? [:]
        var thinking = take("thinkingConfig", from: &generation)?.objectValue ?? [:]
        let asked = take("thinkingBudget", from: &thinking)?.intValue
        _ = take("includeThoughts", from: &thinking)
        let cap = take("maxOutputTokens", from: &generation)?.intValue
        var budget = asked ?? defaultThinkingBudget
        // Lowered as every converted route lowers a budget, so the answer keeps its room (cap - 1
        // let thoughts take all but one token). `max(cap, 1)`: the cap is the client's number.
        if asked == nil, let cap { budget = min(budget, ReasoningEffortMapping.mostBudget(below: max(cap, 1))) }
        budget = max(budget, minimumThinkingBudget)
        thinking["includeThoughts"] = true
        thinking["thinkingBudget"] = .int(Int64(budget))
        generation["thinkingConfig"] = .object(thinking)
        // Raised, the cap leaves the client's own room for the answer above the budget.
        // Held at Int's limit: the budget is the client's number.
        let raised = cap.map { $0 > budget ? $0 : budget.addingSaturated(max($0, 1)) } ?? budget.addingSaturated(8192)
        generation["maxOutputTokens"] = .int(Int64(raised))
        request["generationConfig"] = .object(generation)
    }

    /// A field by its camelCase name, whichever spelling the request used,
    /// with its snake_case member removed: a Gemini client passed through
    /// may write `system_instruction` or `generation_config` (Gemini takes
    /// both), and the camelCase one written back must be the only one.
    private static func take(_ camelName: String, from object: inout JSONObject) -> JSONValue? {
        let snakeName = GeminiClientMapping.snakeCase(camelName)
        let snake = snakeName == camelName ? nil : object.removeValue(forKey: snakeName)
        return object[camelName] ?? snake
    }
}

import Convert
import Foundation
import Wire

/// What Google's Antigravity backend requires of a request, as the
/// Antigravity IDE sends it. It is the Code Assist service
/// (``CodeAssistBackend``: the same `v1internal` methods and wrapped
/// answers, `SWITCHBOARD_ANTIGRAVITY_API_BASE` its base) asked with the
/// IDE's client headers, and an envelope that besides `model`, `project` and
/// `request` names the client (`userAgent`), the kind of request
/// (`requestType: agent`) and a fresh `requestId`. The backend expects the
/// system instruction to start with Antigravity's identity, as a user turn;
/// Claude models take tools only in `VALIDATED` calling mode, and their
/// `-thinking` variants a thinking budget below the output limit.
enum AntigravityBackend {
    /// The IDE's client headers, which the backend's quota goes by.
    static let headers: [(name: String, value: String)] = [
        ("user-agent", "antigravity/1.11.5 windows/amd64"),
        ("x-goog-api-client", "google-cloud-sdk vscode_cloudshelleditor/0.1"),
        (
            "client-metadata",
            #"{"ideType":"IDE_UNSPECIFIED","platform":"PLATFORM_UNSPECIFIED","pluginType":"GEMINI"}"#
        ),
    ]

    /// Sent beside the headers to a Claude `-thinking` model, so that its
    /// thinking may come between tool calls.
    static let thinkingBeta: (name: String, value: String) = (
        "anthropic-beta", "interleaved-thinking-2025-05-14"
    )

    /// The first system part the backend expects.
    static let identity =
        "You are Antigravity, a powerful agentic AI coding assistant designed by the Google DeepMind team working on "
        + "Advanced Agentic Coding.\nYou are pair programming with a USER to solve their coding task.\n"

    /// The thinking budget a `-thinking` Claude model is given when the
    /// client asked for none.
    static let defaultThinkingBudget = 16384

    /// Whether `model` is one of the backend's Claude models that think.
    static func isClaudeThinking(_ model: String) -> Bool {
        let name = model.lowercased()
        return name.contains("claude") && name.contains("thinking")
    }

    /// The converted `generateContent` body in Antigravity's envelope, for
    /// `model` billed to `project`.
    static func requestBody(
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

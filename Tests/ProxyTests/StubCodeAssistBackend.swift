import Foundation
import NIOConcurrencyHelpers
import TestSupport
import Wire

/// Gemini Code Assist (`cloudcode-pa.googleapis.com/v1internal`) as it
/// checks a request: the access token the stub provider issued last as a
/// bearer token on every call; `loadCodeAssist` naming the user's project
/// (or none, before onboarding), `onboardUser` a long-running operation
/// done after a few asks; generate calls only in the envelope with a
/// `model`, the user's `project` and a `request` with contents, streamed
/// only with `alt=sse`. Answers come wrapped as the backend wraps them.
/// As Antigravity's backend (``Variant/antigravity``) it also checks the
/// IDE's headers, the envelope's further fields and Antigravity's system
/// instruction, and Claude models' tool and thinking settings.
final class StubCodeAssistBackend: StubSubscriptionBackend {
    static let onboardedProject = "managed-free-tier-4242"

    /// What a Code Assist-style backend requires besides the token, the
    /// project and the envelope's `model` and `request`.
    struct Variant: Sendable {
        /// Headers every call carries, with their values.
        var headers: [String: String]
        /// Fields of a generate call's envelope, with what each must be.
        var envelope: [String: @Sendable (JSONValue?) -> Bool] = [:]
        /// What the system instruction's first part starts with, said as a
        /// user turn.
        var identity: String?
        /// Whether Claude models are checked as Antigravity serves them:
        /// tools only in `VALIDATED` mode, a `-thinking` model's budget
        /// below its output limit.
        var checksClaude = false

        static let gemini = Variant(headers: [
            "client-metadata": "ideType=IDE_UNSPECIFIED,platform=PLATFORM_UNSPECIFIED,pluginType=GEMINI"
        ])

        static let antigravity = Variant(
            headers: [
                "user-agent": "antigravity/1.11.5 windows/amd64",
                "x-goog-api-client": "google-cloud-sdk vscode_cloudshelleditor/0.1",
                "client-metadata":
                    #"{"ideType":"IDE_UNSPECIFIED","platform":"PLATFORM_UNSPECIFIED","pluginType":"GEMINI"}"#,
            ],
            envelope: [
                "userAgent": { $0 == "antigravity" }, "requestType": { $0 == "agent" },
                "requestId": { $0?.stringValue?.hasPrefix("agent-") == true },
            ], identity: "You are Antigravity, a powerful agentic AI coding assistant", checksClaude: true
        )
    }

    struct State {
        /// The user's project; nil until onboarding made one.
        var project: String?
        var onboardAsks = 0
        var generateRequests = 0
        var rejections: [String] = []
        var stream: StubHTTPServer.Reply
        var whole: StubHTTPServer.Reply
        var quotaExhausted: StubHTTPServer.Reply?
        var revoked: Set<String> = []
    }

    let provider: StubOAuthProvider
    let state: NIOLockedValueBox<State>
    /// How many `onboardUser` asks answer `done: false` first.
    let onboardingAsks: Int
    let variant: Variant

    init(
        provider: StubOAuthProvider, project: String?, onboardingAsks: Int = 2,
        variant: Variant = .gemini
    ) throws {
        self.provider = provider
        self.onboardingAsks = onboardingAsks
        self.variant = variant
        state = NIOLockedValueBox(State(project: project, stream: try Self.stream(), whole: try Self.whole()))
    }

    var rejections: [String] { state.withLockedValue { $0.rejections } }

    /// Makes the backend refuse `token` (as after a revocation).
    func revoke(_ token: String) { state.withLockedValue { _ = $0.revoked.insert(token) } }

    /// A real Gemini stream (google-text) as Code Assist sends it: each
    /// `GenerateContentResponse` in `{"response": ..., "traceId": ...}`.
    static func stream() throws -> StubHTTPServer.Reply {
        let payloads = try Fixtures.chunkPayloads(
            atPath: try Fixtures.path("providers/gemini/google-text.chunks.txt"))
        let wrapped = payloads.map { #"{"response":\#($0),"traceId":"trace-1"}"# }
        return .eventStream(splitting: Fixtures.sseBytes(payloads: wrapped, framing: .dataOnly), maxPiece: 53)
    }

    /// A real whole Gemini answer (google-text.json), wrapped.
    static func whole() throws -> StubHTTPServer.Reply {
        let body = String(
            decoding: try Fixtures.bytes(atPath: try Fixtures.path("providers/gemini/google-text.json")), as: UTF8.self)
        return .json(200, #"{"response":\#(body),"traceId":"trace-2"}"#)
    }

    /// The reply for a `v1internal` path; nil for any other.
    func reply(_ request: StubHTTPServer.ReceivedRequest) -> StubHTTPServer.Reply? {
        guard request.path.hasPrefix("/v1internal:") else { return nil }
        let current = provider.state.withLockedValue { $0.accessTokens.last }
        let revoked = state.withLockedValue { $0.revoked }
        guard let current, request.header("authorization") == "Bearer \(current)", !revoked.contains(current) else {
            return .json(
                401, #"{"error":{"code":401,"message":"Request had invalid credentials.","status":"UNAUTHENTICATED"}}"#)
        }
        guard request.method == "POST", let body = try? JSONValue(parsing: request.body) else {
            return reject("not a POST of JSON")
        }
        for (name, value) in variant.headers.sorted(by: { $0.key < $1.key })
        where request.header(name) != value {
            return reject("no \(name): \(value)")
        }
        switch request.path {
        case "/v1internal:loadCodeAssist":
            guard body["metadata"]?["pluginType"] == "GEMINI" else { return reject("no metadata") }
            guard let project = state.withLockedValue({ $0.project }) else {
                return .json(200, #"{"allowedTiers":[{"id":"free-tier","isDefault":true},{"id":"standard-tier"}]}"#)
            }
            return .json(200, #"{"currentTier":{"id":"free-tier"},"cloudaicompanionProject":"\#(project)"}"#)
        case "/v1internal:onboardUser":
            guard body["tierId"] == "free-tier", body["metadata"]?["pluginType"] == "GEMINI" else {
                return reject("no tierId or metadata")
            }
            let asks = state.withLockedValue { state in
                state.onboardAsks += 1
                return state.onboardAsks
            }
            guard asks > onboardingAsks else { return .json(200, #"{"name":"operations/onboard-1","done":false}"#) }
            state.withLockedValue { $0.project = Self.onboardedProject }
            return .json(
                200,
                #"{"name":"operations/onboard-1","done":true,"response":{"cloudaicompanionProject":{"id":"\#(Self.onboardedProject)","name":"Free tier"}}}"#
            )
        case "/v1internal:streamGenerateContent", "/v1internal:generateContent":
            state.withLockedValue { $0.generateRequests += 1 }
            let streams = request.path.hasSuffix(":streamGenerateContent")
            if streams && request.query != "alt=sse" { return reject("streamGenerateContent without alt=sse") }
            guard let model = body["model"]?.stringValue, !model.isEmpty else { return reject("no model") }
            guard let project = body["project"]?.stringValue, project == state.withLockedValue({ $0.project }) else {
                return .json(
                    403,
                    #"{"error":{"code":403,"message":"Permission denied on project","status":"PERMISSION_DENIED"}}"#)
            }
            guard body["request"]?["contents"]?.arrayValue?.isEmpty == false else {
                return reject("no request")
            }
            for (field, isValid) in variant.envelope.sorted(by: { $0.key < $1.key })
            where !isValid(body[field]) {
                return reject("no valid \(field)")
            }
            if let problem = problem(in: body["request"]!, model: model) { return reject(problem) }
            if let quota = state.withLockedValue({ $0.quotaExhausted }) { return quota }
            return state.withLockedValue { streams ? $0.stream : $0.whole }
        default:
            return .json(404, #"{"error":{"code":404,"message":"not found","status":"NOT_FOUND"}}"#)
        }
    }

    /// What the variant finds wrong with a generate call's request.
    private func problem(in request: JSONValue, model: String) -> String? {
        if let identity = variant.identity {
            let system = request["systemInstruction"]
            guard system?["parts"]?[0]?["text"]?.stringValue?.hasPrefix(identity) == true else {
                return "the system instruction does not start with the identity"
            }
            guard system?["role"] == "user" else { return "the system instruction is not a user turn" }
        }
        guard variant.checksClaude, model.contains("claude") else { return nil }
        if request["tools"] != nil,
            request["toolConfig"]?["functionCallingConfig"]?["mode"] != "VALIDATED"
        {
            return "Claude tools without VALIDATED function calling"
        }
        if model.contains("thinking") {
            let generation = request["generationConfig"]
            guard let budget = generation?["thinkingConfig"]?["thinkingBudget"]?.intValue,
                let limit = generation?["maxOutputTokens"]?.intValue, limit > budget
            else { return "a thinking model needs a thinkingBudget below maxOutputTokens" }
        }
        return nil
    }

    private func reject(_ problem: String) -> StubHTTPServer.Reply {
        state.withLockedValue { $0.rejections.append(problem) }
        return .json(400, #"{"error":{"code":400,"message":"\#(problem)","status":"INVALID_ARGUMENT"}}"#)
    }
}

import Foundation
import Synchronization
import TestSupport
import Wire

/// Gemini Code Assist (`cloudcode-pa.googleapis.com/v1internal`) as it
/// checks a request: the access token the stub provider issued last as a
/// bearer token on every call; `loadCodeAssist` naming the user's project
/// (or none, before onboarding), `onboardUser` a long-running operation
/// done after a few asks; generate calls only in the envelope with a
/// `model`, the user's `project` and a `request` with contents, streamed
/// only with `alt=sse`. Answers come wrapped as the backend wraps them.
final class StubCodeAssistBackend: Sendable {
    static let onboardedProject = "managed-free-tier-4242"

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
    let state: Mutex<State>
    /// How many `onboardUser` asks answer `done: false` first.
    let onboardingAsks: Int

    init(provider: StubOAuthProvider, project: String?, onboardingAsks: Int = 2) throws {
        self.provider = provider
        self.onboardingAsks = onboardingAsks
        state = Mutex(State(project: project, stream: try Self.stream(), whole: try Self.whole()))
    }

    var rejections: [String] { state.withLock { $0.rejections } }

    /// Makes the backend refuse `token` (as after a revocation).
    func revoke(_ token: String) { state.withLock { _ = $0.revoked.insert(token) } }

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
        let current = provider.state.withLock { $0.accessTokens.last }
        let revoked = state.withLock { $0.revoked }
        guard let current, request.header("authorization") == "Bearer \(current)", !revoked.contains(current) else {
            return .json(
                401, #"{"error":{"code":401,"message":"Request had invalid credentials.","status":"UNAUTHENTICATED"}}"#)
        }
        guard request.method == "POST", let body = try? JSONValue(parsing: request.body) else {
            return reject("not a POST of JSON")
        }
        switch request.path {
        case "/v1internal:loadCodeAssist":
            guard body["metadata"]?["pluginType"] == "GEMINI" else { return reject("no metadata") }
            guard let project = state.withLock({ $0.project }) else {
                return .json(200, #"{"allowedTiers":[{"id":"free-tier","isDefault":true},{"id":"standard-tier"}]}"#)
            }
            return .json(200, #"{"currentTier":{"id":"free-tier"},"cloudaicompanionProject":"\#(project)"}"#)
        case "/v1internal:onboardUser":
            guard body["tierId"] == "free-tier", body["metadata"]?["pluginType"] == "GEMINI" else {
                return reject("no tierId or metadata")
            }
            let asks = state.withLock { state in
                state.onboardAsks += 1
                return state.onboardAsks
            }
            guard asks > onboardingAsks else { return .json(200, #"{"name":"operations/onboard-1","done":false}"#) }
            state.withLock { $0.project = Self.onboardedProject }
            return .json(
                200,
                #"{"name":"operations/onboard-1","done":true,"response":{"cloudaicompanionProject":{"id":"\#(Self.onboardedProject)","name":"Free tier"}}}"#
            )
        case "/v1internal:streamGenerateContent", "/v1internal:generateContent":
            state.withLock { $0.generateRequests += 1 }
            let streams = request.path.hasSuffix(":streamGenerateContent")
            if streams && request.query != "alt=sse" { return reject("streamGenerateContent without alt=sse") }
            guard let model = body["model"]?.stringValue, !model.isEmpty else { return reject("no model") }
            guard let project = body["project"]?.stringValue, project == state.withLock({ $0.project }) else {
                return .json(
                    403,
                    #"{"error":{"code":403,"message":"Permission denied on project","status":"PERMISSION_DENIED"}}"#)
            }
            guard body["request"]?["contents"]?.arrayValue?.isEmpty == false else { return reject("no request") }
            if let quota = state.withLock({ $0.quotaExhausted }) { return quota }
            return state.withLock { streams ? $0.stream : $0.whole }
        default:
            return .json(404, #"{"error":{"code":404,"message":"not found","status":"NOT_FOUND"}}"#)
        }
    }

    private func reject(_ problem: String) -> StubHTTPServer.Reply {
        state.withLock { $0.rejections.append(problem) }
        return .json(400, #"{"error":{"code":400,"message":"\#(problem)","status":"INVALID_ARGUMENT"}}"#)
    }
}

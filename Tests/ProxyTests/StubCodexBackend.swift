import Foundation
import NIOConcurrencyHelpers
import TestSupport
import Wire

/// The Codex backend (`POST /backend-api/codex/responses`) as it checks a
/// request: the access token the stub provider issued last (and not
/// revoked) as a bearer token, the ChatGPT account, the Codex CLI's
/// headers, and a streamed, unstored Responses body with instructions.
/// It answers in the backend's shape: a Responses event stream.
final class StubCodexBackend: StubSubscriptionBackend {
    struct State {
        var requests = 0
        var rejections: [String] = []
        var revoked: Set<String> = []
        /// Refuse every token (a login the backend no longer takes).
        var refusesEveryToken = false
        var answer: StubHTTPServer.Reply
    }

    let provider: StubOAuthProvider
    let state: NIOLockedValueBox<State>

    init(provider: StubOAuthProvider, answer: StubHTTPServer.Reply) {
        self.provider = provider
        state = NIOLockedValueBox(State(answer: answer))
    }

    var requests: Int { state.withLockedValue { $0.requests } }
    var rejections: [String] { state.withLockedValue { $0.rejections } }

    /// Makes the backend refuse `token` (as after a revocation).
    func revoke(_ token: String) { state.withLockedValue { _ = $0.revoked.insert(token) } }

    /// The reply for the backend's path; nil for any other.
    func reply(_ request: StubHTTPServer.ReceivedRequest) -> StubHTTPServer.Reply? {
        guard request.path == "/backend-api/codex/responses" else { return nil }
        state.withLockedValue { $0.requests += 1 }
        let current = provider.state.withLockedValue { $0.accessTokens.last }
        let (revoked, refusesEveryToken) = state.withLockedValue { ($0.revoked, $0.refusesEveryToken) }
        guard let current, request.header("authorization") == "Bearer \(current)", !revoked.contains(current),
            !refusesEveryToken
        else {
            return .json(401, #"{"error":{"message":"Your authentication token has expired.","code":"token_expired"}}"#)
        }
        if let problem = Self.problem(request) {
            state.withLockedValue { $0.rejections.append(problem) }
            return .json(400, #"{"detail":"\#(problem)"}"#)
        }
        return state.withLockedValue { $0.answer }
    }

    private static func problem(_ request: StubHTTPServer.ReceivedRequest) -> String? {
        guard request.method == "POST" else { return "not a POST" }
        guard request.header("chatgpt-account-id") == StubOAuthProvider.account else { return "no chatgpt-account-id" }
        guard request.header("openai-beta") == "responses=experimental" else { return "no OpenAI-Beta header" }
        guard request.header("originator") == "codex_cli_rs" else { return "no originator header" }
        guard request.header("x-api-key") == nil else { return "an x-api-key" }
        guard let body = try? JSONValue(parsing: request.body) else { return "body is not JSON" }
        guard body["stream"]?.boolValue == true else { return "Stream must be set to true" }
        guard body["store"]?.boolValue == false else { return "Store must be set to false" }
        guard !(body["instructions"]?.stringValue ?? "").isEmpty else { return "Instructions are required" }
        guard body["max_output_tokens"] == nil else { return "Unsupported parameter: max_output_tokens" }
        guard body["input"]?.arrayValue != nil, body["model"]?.stringValue != nil else { return "no model or input" }
        return nil
    }
}

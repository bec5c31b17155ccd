import Cassette
import Convert
import Wire

extension ExchangeVerifier {
    /// A replayed upstream body shaped as the recording shows its
    /// subscription backend took it: Codex's settings (a request to
    /// `/codex/responses`), Antigravity's envelope (a body with `project`,
    /// `request` and `requestType`, with the recorded `requestId`) or Code
    /// Assist's (`project` and `request`), with the recorded project; any
    /// other body unchanged. Which backend a route used is the config's
    /// and the login's, which a cassette does not hold otherwise.
    static func shapedLikeRecording(_ body: JSONValue, recorded: CassetteEvent?, model: String) -> JSONValue {
        guard let recorded else { return body }
        let path = (recorded["url"]?.stringValue ?? "").split(separator: "?").first ?? ""
        if path.hasSuffix("/codex/responses") { return SubscriptionBackendBody.codex(body) }
        guard sentToCodeAssist(recorded), let sent = recorded["body"], let project = sent["project"]?.stringValue
        else { return body }
        if sent["requestType"] != nil, let requestID = sent["requestId"]?.stringValue {
            return SubscriptionBackendBody.antigravity(body, model: model, project: project, requestID: requestID)
        }
        return CodeAssistEnvelope.wrapped(body, model: model, project: project)
    }

    /// Whether the recorded upstream request went to Gemini Code Assist (or
    /// Antigravity, the same service): its body is their envelope, a
    /// `project` and a `request` object.
    static func sentToCodeAssist(_ recorded: CassetteEvent) -> Bool {
        guard let sent = recorded["body"], sent["project"]?.stringValue != nil, case .object = sent["request"] else {
            return false
        }
        return true
    }
}

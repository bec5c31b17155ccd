import AsyncHTTPClient
import Foundation
import NIOCore
import ServiceRunning
import Wire

/// The Google Cloud project a Gemini Code Assist (or Antigravity) login
/// bills, found as the Gemini CLI finds it: `loadCodeAssist` names the project of a user who
/// already has one (a Workspace project, or the free tier's managed one);
/// a user without one is onboarded to the default tier (the free tier)
/// with `onboardUser`, a long-running operation asked again until it is
/// done, whose answer names the project.
struct CodeAssistProject: Sendable {
    /// The Code Assist base (``CodeAssistBackend/apiBase(_:environment:)``).
    let base: String
    /// The client headers the backend is called with.
    var headers = CodeAssistBackend.headers
    /// Whose login it is, in messages.
    var product = SubscriptionProvider.gemini.backendName
    /// How long to wait between asking whether onboarding is done.
    var pollInterval: Duration = .seconds(3)
    /// How many times to ask before giving up.
    var maxPolls = 40

    /// The project for `accessToken`'s user, onboarding them when needed.
    func resolve(accessToken: String) async throws(SubscriptionLogins.Refusal) -> String {
        let loaded = try await call("loadCodeAssist", ["metadata": CodeAssistBackend.metadata], accessToken)
        if let project = Self.projectID(loaded["cloudaicompanionProject"]) { return project }
        if let tier = loaded["currentTier"]?["id"]?.stringValue {
            throw SubscriptionLogins.Refusal(
                description:
                    "\(product) says this account is on the \(tier) tier but names no Google Cloud "
                    + "project; set one up for \(product), then log in again")
        }
        let tiers = loaded["allowedTiers"]?.arrayValue ?? []
        let tier = tiers.first { $0["isDefault"]?.boolValue == true }?["id"]?.stringValue ?? "free-tier"
        let request: JSONValue = ["tierId": .string(tier), "metadata": CodeAssistBackend.metadata]
        for poll in 0..<maxPolls {
            if poll > 0 {
                do {
                    try await Task.sleep(for: pollInterval)
                } catch {
                    throw SubscriptionLogins.Refusal(description: "the login was stopped while onboarding")
                }
            }
            let operation = try await call("onboardUser", request, accessToken)
            guard operation["done"]?.boolValue == true else { continue }
            if let project = Self.projectID(operation["response"]?["cloudaicompanionProject"]) { return project }
            throw SubscriptionLogins.Refusal(
                description: "onboarding to \(product)'s \(tier) tier finished without a project"
                    + (operation["error"]?["message"]?.stringValue.map { ": \($0)" } ?? ""))
        }
        throw SubscriptionLogins.Refusal(
            description: "onboarding to \(product)'s \(tier) tier did not finish; log in again later")
    }

    /// A project as the backend names it: its id, or an object with one.
    private static func projectID(_ value: JSONValue?) -> String? {
        let id = value?.stringValue ?? value?["id"]?.stringValue
        return id.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// POSTs to a `v1internal` method; its JSON answer, or why there is
    /// none (never with the token).
    private func call(
        _ method: String, _ body: JSONValue, _ accessToken: String
    ) async throws(SubscriptionLogins.Refusal) -> JSONValue {
        let url = CodeAssistBackend.methodURL(base: base, method)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "authorization", value: "Bearer " + accessToken)
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: body.serialized()))
        let status: UInt
        let answer: ByteBuffer
        do {
            let response = try await SubscriptionHTTPClient.shared.execute(request, timeout: .seconds(60))
            status = response.status.code
            answer = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw SubscriptionLogins.Refusal(
                description:
                    "cannot reach \(url): \(NetworkErrorText.connectionFailure(error) ?? String(describing: error))")
        }
        let json = try? JSONValue(parsing: Array(answer.readableBytesView))
        guard (200..<300).contains(status), let json else {
            throw SubscriptionLogins.Refusal(
                description: "\(url) answered \(status)"
                    + (json?["error"]?["message"]?.stringValue.map { ": \($0)" } ?? ""))
        }
        return json
    }
}

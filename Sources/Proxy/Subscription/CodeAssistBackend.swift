import Convert
import Foundation
import Wire

/// What Gemini Code Assist (`cloudcode-pa.googleapis.com`, behind a Google
/// login, as the Gemini CLI calls it) requires of a request: Gemini's
/// `generateContent` body in the ``CodeAssistEnvelope`` with the model and
/// the login's Google Cloud project, POSTed to
/// `{base}/v1internal:streamGenerateContent?alt=sse` (or
/// `:generateContent`) with the token as a bearer token. Antigravity's
/// backend is the same service, asked differently (``AntigravityBackend``).
enum CodeAssistBackend {
    /// The backend `provider` (Gemini or Antigravity) calls:
    /// `SWITCHBOARD_GEMINI_API_BASE` or `SWITCHBOARD_ANTIGRAVITY_API_BASE`,
    /// default `https://cloudcode-pa.googleapis.com`, without a trailing `/`.
    static func apiBase(
        _ provider: SubscriptionProvider = .gemini, environment: [String: String]
    )
        -> String
    {
        var base =
            environment["SWITCHBOARD_\(provider.environmentName)_API_BASE"].flatMap {
                $0.isEmpty ? nil : $0
            }
            ?? "https://cloudcode-pa.googleapis.com"
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// The URL of one of the backend's `v1internal` methods.
    static func methodURL(base: String, _ method: String) -> String {
        base + "/v1internal:" + method
    }

    /// The generate call's URL, streamed or not.
    static func generateURL(base: String, stream: Bool) -> String {
        methodURL(base: base, stream ? "streamGenerateContent?alt=sse" : "generateContent")
    }

    /// The Gemini CLI's client headers, which the backend's quota and
    /// metrics go by.
    static let headers: [(name: String, value: String)] = [
        ("user-agent", "google-api-nodejs-client/9.15.1"), ("x-goog-api-client", "gl-node/22.17.0"),
        ("client-metadata", "ideType=IDE_UNSPECIFIED,platform=PLATFORM_UNSPECIFIED,pluginType=GEMINI"),
    ]

    /// The client metadata `loadCodeAssist` and `onboardUser` take.
    static let metadata: JSONValue = .object([
        "ideType": "IDE_UNSPECIFIED", "platform": "PLATFORM_UNSPECIFIED", "pluginType": "GEMINI",
    ])

    /// A quota answer (429 `RESOURCE_EXHAUSTED`) as a 429 `rate_limit_error`
    /// saying when to try again, when the backend says (`RetryInfo`'s
    /// `retryDelay`, or `ErrorInfo`'s `quotaResetDelay` /
    /// `quotaResetTimeStamp`); nil for any other answer. `product` names
    /// whose quota it is.
    static func quotaError(
        status: Int, body: [UInt8], product: String = "Gemini Code Assist", now: Date = Date()
    ) -> APIError? {
        guard status == 429 else { return nil }
        let error = (try? JSONValue(parsing: body))?["error"]
        let message = error?["message"]?.stringValue
        var seconds: Double?
        var resets: Date?
        for detail in error?["details"]?.arrayValue ?? [] {
            if let delay = detail["retryDelay"]?.stringValue ?? detail["metadata"]?["quotaResetDelay"]?.stringValue {
                seconds = seconds ?? duration(delay)
            }
            if let stamp = detail["metadata"]?["quotaResetTimeStamp"]?.stringValue {
                resets = resets ?? ISO8601DateFormatter().date(from: stamp)
            }
        }
        if resets == nil, let seconds { resets = now.addingTimeInterval(seconds) }
        let what = product + " quota exhausted" + (message.map { " (\($0))" } ?? "")
        guard let resets, let wait = UsageLimitReset.wait(until: resets, from: now) else {
            return APIError(status: 429, type: "rate_limit_error", message: what + "; try again later")
        }
        return APIError(
            status: 429, type: "rate_limit_error",
            message: what + "; it resets at \(ISO8601DateFormatter().string(from: resets)) (in \(wait) s)",
            retryAfter: String(wait))
    }

    /// A protobuf duration as JSON writes it (`"34.4s"`, also `"1m2s"`
    /// style as Google's quota metadata has it).
    static func duration(_ text: String) -> Double? {
        var total = 0.0
        var number = ""
        var any = false
        for character in text {
            if character.isNumber || character == "." {
                number.append(character)
                continue
            }
            guard let value = Double(number) else { return nil }
            switch character {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
            number = ""
            any = true
        }
        return any && number.isEmpty ? total : nil
    }
}

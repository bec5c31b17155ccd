import Convert
import Foundation
import Wire

/// What the Codex backend (ChatGPT's, behind a Codex login) requires of a
/// request, as the Codex CLI sends it: the Responses API at
/// `{base}/codex/responses`, always streamed, not stored, with
/// instructions, the account and the Codex CLI's headers.
enum CodexBackend {
    /// The client the backend and the login are told requests come from.
    static let originator = "codex_cli_rs"

    /// The header naming the ChatGPT account a request bills.
    static let accountHeader = "chatgpt-account-id"

    /// The base the route's Responses calls go under (`/responses` is
    /// appended): `SWITCHBOARD_CODEX_API_BASE` (default
    /// `https://chatgpt.com/backend-api`) and `/codex`.
    static func apiBase(environment: [String: String]) -> String {
        var base =
            environment["SWITCHBOARD_CODEX_API_BASE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "https://chatgpt.com/backend-api"
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/codex"
    }

    /// What every request carries besides the token and the account.
    static let headers: [(name: String, value: String)] = [
        ("openai-beta", "responses=experimental"), ("originator", originator),
    ]

    /// A usage-limit answer (404 or 429 naming `usage_limit_reached`) as a
    /// 429 `rate_limit_error` with the time the limit resets; nil for any
    /// other answer.
    static func usageLimitError(status: Int, body: [UInt8], now: Date = Date()) -> APIError? {
        guard status == 404 || status == 429 else { return nil }
        let json = try? JSONValue(parsing: body)
        let error = json?["error"]
        let named = [error?["type"]?.stringValue, error?["code"]?.stringValue].contains { $0 == "usage_limit_reached" }
        guard named || String(decoding: body, as: UTF8.self).contains("usage_limit_reached") else { return nil }
        var resets: Date?
        if let at = error?["resets_at"]?.doubleValue {
            resets = Date(timeIntervalSince1970: at)
        } else if let seconds = error?["resets_in_seconds"]?.doubleValue {
            resets = now.addingTimeInterval(seconds)
        }
        let plan = error?["plan_type"]?.stringValue.map { " (\($0) plan)" } ?? ""
        guard let resets, let seconds = UsageLimitReset.wait(until: resets, from: now) else {
            return APIError(
                status: 429, type: "rate_limit_error", message: "Codex usage limit reached\(plan); try again later")
        }
        let stamp = ISO8601DateFormatter().string(from: resets)
        let wait = seconds >= 3600 ? "\(seconds / 3600) h \(seconds % 3600 / 60) min" : "\((seconds + 59) / 60) min"
        return APIError(
            status: 429, type: "rate_limit_error",
            message: "Codex usage limit reached\(plan); it resets at \(stamp) (in \(wait))",
            retryAfter: String(seconds))
    }
}

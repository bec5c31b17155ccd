import Convert
import Foundation
import Wire

/// What Google's Antigravity backend requires of a request, as the
/// Antigravity IDE sends it. It is the Code Assist service
/// (``CodeAssistBackend``: the same `v1internal` methods and wrapped
/// answers, `SWITCHBOARD_ANTIGRAVITY_API_BASE` its base) asked with the
/// IDE's client headers, and its envelope
/// (``SubscriptionBackendBody/antigravity(_:model:project:requestID:)``).
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

}

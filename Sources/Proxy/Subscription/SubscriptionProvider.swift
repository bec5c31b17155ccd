import Convert

/// The subscription plans a user can log in to and route to
/// (`proxy login --codex | --gemini | --antigravity | --claude-code`).
public enum SubscriptionProvider: String, Sendable, CaseIterable {
    case codex
    case gemini
    case antigravity
    case claudeCode = "claude-code"

    /// The name users see.
    public var displayName: String {
        switch self {
        case .codex: "Codex (ChatGPT plan)"
        case .gemini: "Gemini Code Assist (Google account)"
        case .antigravity: "Antigravity (Google account)"
        case .claudeCode: "Claude Code (Claude plan)"
        }
    }

    /// The models it offers, without the `provider/` prefix clients use.
    public var builtInModels: [String] {
        switch self {
        case .codex: ["gpt-5.2-codex", "gpt-5.2", "gpt-5.1-codex-max", "gpt-5.1-codex-mini"]
        case .gemini:
            [
                "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-3-pro-preview",
                "gemini-3-flash-preview",
            ]
        case .antigravity:
            // As tizee/anthropic-proxy lists them; the backend's own names.
            [
                "claude-sonnet-4-5", "claude-sonnet-4-5-thinking", "claude-opus-4-5-thinking",
                "gemini-3-pro-preview",
                "gemini-3-pro-high", "gemini-3-pro-low", "gemini-3-flash", "gemini-2.5-pro",
                "gemini-2.5-flash",
            ]
        case .claudeCode:
            ["claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5"]
        }
    }

    /// Its backend's name, in messages about its quota or project.
    var backendName: String {
        switch self {
        case .codex: "Codex"
        case .gemini: "Gemini Code Assist"
        case .antigravity: "Antigravity"
        case .claudeCode: "Claude Code"
        }
    }

    /// Whether its backend is Google's Code Assist service (Gemini's plan and
    /// Antigravity): requests go in its envelope, to a Google Cloud project
    /// the login finds or onboards.
    public var usesCodeAssist: Bool {
        switch self {
        case .gemini, .antigravity: true
        case .codex, .claudeCode: false
        }
    }

    /// The name of its `SWITCHBOARD_<NAME>_...` settings (`CLAUDE_CODE`).
    var environmentName: String { rawValue.uppercased().replacingOccurrences(of: "-", with: "_") }

    /// The API its backend speaks.
    public var format: Dialect {
        switch self {
        case .codex: .openaiResponses
        case .gemini, .antigravity: .gemini
        case .claudeCode: .anthropic
        }
    }
}

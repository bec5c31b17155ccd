import Foundation

/// What the Codex backend (ChatGPT's, behind a Codex login) requires of a
/// request, as the Codex CLI sends it.
enum CodexBackend {
    /// The client the backend and the login are told requests come from.
    static let originator = "codex_cli_rs"
}

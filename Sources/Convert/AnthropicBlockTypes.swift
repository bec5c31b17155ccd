/// The content block types Anthropic's Messages API takes in a request.
///
/// A converted route drops the ones its upstream cannot take, with a
/// warning, and refuses any other type as Anthropic would (see
/// ``AnthropicRequestTranslating/reportUnsupportedBlock(_:path:)``). The
/// validator does not look: a pass-through leaves the answer to Anthropic,
/// which knows its newest types.
enum AnthropicBlockTypes {
    static let named: Set<String> = [
        "text", "image", "document", "search_result", "thinking", "redacted_thinking", "tool_use", "tool_result",
        "server_tool_use", "mcp_tool_use", "mcp_tool_result", "container_upload", "tool_reference",
    ]

    /// Whether `type` is one of Anthropic's. Every server tool Anthropic
    /// adds brings a `*_tool_result` block (`web_search_tool_result`,
    /// `code_execution_tool_result`...), and may a `*_tool_use` one: those
    /// are known by their suffix, so a client sending back a newer tool's
    /// result is not refused before this list learns its name.
    static func isKnown(_ type: String) -> Bool {
        named.contains(type) || type.hasSuffix("_tool_result") || type.hasSuffix("_tool_use")
    }
}

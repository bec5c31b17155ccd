import Convert
import Wire

/// What a request is, for the `router:` section of `models.yaml`: a
/// configured scenario sends the request to its entry whatever model name
/// it asked for. Decided on the request as Anthropic Messages (the pivot),
/// so it means the same for every client dialect.
///
/// The cases are in the order they are tried; the first that applies and is
/// configured wins. A request too long for other entries can only go to the
/// long-context one; images, web search and thinking need an entry able to
/// do them; the background rule, a guess from the model name alone, comes
/// last.
public enum RequestScenario: String, Sendable, Hashable, CaseIterable {
    /// The input estimate is above `long_context_threshold`.
    case longContext = "long_context"
    /// An image in the last user turn (or in a tool result there).
    case image
    /// Anthropic's web search server tool (`type` `web_search_*`), as
    /// claude-code-router decides it. Not a tool the client runs itself,
    /// whatever its name: Claude Code's own `WebSearch` tool, in its list
    /// once loaded, is one, and it searches by a request of its own that
    /// carries the server tool; routing every turn that offers it sent the
    /// whole conversation to the search entry.
    case webSearch = "web_search"
    /// Thinking is on (`thinking.type` `enabled` or `adaptive`; other
    /// dialects' reasoning settings arrive in the pivot as that).
    case think
    /// Claude Code's small-model calls (titles, topic and quota checks,
    /// summaries): the requested model name contains `haiku`, as Claude
    /// Code's small fast model does (`claude-haiku-4-5`,
    /// `claude-3-5-haiku-20241022`, `ANTHROPIC_SMALL_FAST_MODEL`'s usual value).
    case background

    /// Whether the background rule takes `model` for a small-model call.
    public static func isBackgroundModel(_ model: String) -> Bool {
        model.lowercased().contains("haiku")
    }

    /// Whether the scenario applies. `pivot` is the request as Anthropic
    /// Messages (nil when it could not be read: then only the model name
    /// decides); `threshold` is `long_context_threshold`.
    func applies(model: String, pivot: JSONValue?, threshold: Int) -> Bool {
        switch self {
        case .background:
            return Self.isBackgroundModel(model)
        case .longContext:
            guard let pivot else { return false }
            return TokenEstimator.estimateInputTokens(anthropicRequest: pivot) > threshold
        case .think:
            let type = pivot?["thinking"]?["type"]?.stringValue
            return type == "enabled" || type == "adaptive"
        case .webSearch:
            return (pivot?["tools"]?.arrayValue ?? []).contains { tool in
                tool["type"]?.stringValue?.hasPrefix("web_search") == true
            }
        case .image:
            guard let messages = pivot?["messages"]?.arrayValue,
                let last = messages.last(where: { $0["role"]?.stringValue == "user" })
            else { return false }
            return Self.holdsImage(last["content"])
        }
    }

    /// An `image` block, at the top of a content list or inside a
    /// `tool_result`'s content.
    private static func holdsImage(_ content: JSONValue?) -> Bool {
        (content?.arrayValue ?? []).contains { block in
            switch block["type"]?.stringValue {
            case "image": return true
            case "tool_result": return holdsImage(block["content"])
            default: return false
            }
        }
    }
}

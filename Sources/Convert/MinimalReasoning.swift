import Wire

/// `reasoning_effort: minimal` on a route (tizee/anthropic-proxy's setting),
/// or OpenAI's `none`: no thinking at all. The client's thinking settings
/// are taken out of the request, in whichever dialect it goes up, and no
/// effort is sent. (`none` went up as a budget: a Gemini upstream's most.)
enum MinimalReasoning {
    static let efforts = ["minimal", "none"]

    /// Whether `route` asks for no thinking.
    static func applies(to route: RouteOptions) -> Bool {
        guard let effort = route.reasoningEffort?.lowercased() else { return false }
        return efforts.contains(effort)
    }

    /// The request without its thinking settings, and a diagnostic for each
    /// one removed.
    static func stripped(_ request: JSONObject, dialect: Dialect) -> (JSONObject, [ConversionDiagnostic]) {
        var body = request
        var diagnostics: [ConversionDiagnostic] = []
        for path in thinkingPaths(dialect) where body[path: path] != nil {
            if path.count == 1 {
                body.removeValue(forKey: path[0])
            } else if var parent = body[path: Array(path.dropLast())]?.objectValue {
                parent.removeValue(forKey: path[path.count - 1])
                body[path: Array(path.dropLast())] = .object(parent)
            }
            diagnostics.append(
                .info(
                    "/" + path.joined(separator: "/"), "removed: the route's reasoning_effort asks for no thinking")
            )
        }
        return (body, diagnostics)
    }

    /// Where each dialect's request asks for thinking.
    private static func thinkingPaths(_ dialect: Dialect) -> [[String]] {
        switch dialect {
        case .anthropic: [["thinking"], ["output_config", "effort"]]
        case .openai: [["reasoning_effort"]]
        case .openaiResponses: [["reasoning"]]
        case .gemini: [["generationConfig", "thinkingConfig"]]
        }
    }
}

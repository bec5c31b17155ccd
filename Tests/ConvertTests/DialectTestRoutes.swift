import Convert

extension TestRoutes {
    static let gemini = RouteOptions(modelID: "gemini", upstreamDialect: .gemini, upstreamModel: "gemini-3-pro-preview")
    static let responses = RouteOptions(
        modelID: "gpt5", upstreamDialect: .openaiResponses, upstreamModel: "gpt-5.1-codex-max")
}

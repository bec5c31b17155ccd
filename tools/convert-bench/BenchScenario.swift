import Convert

/// One request as the proxy converts it: a client's body on a path, the
/// route it goes to, and the upstream's answer (a body, or a stream's bytes).
struct BenchScenario {
    var name: String
    var path: String
    var clientBody: String
    var route: RouteOptions
    var upstreamReply: String
    var stream: Bool

    static let prompt = #"[{"role":"user","content":"Say hello in five words."}]"#
    static let geminiPrompt = #"[{"role":"user","parts":[{"text":"Say hello in five words."}]}]"#

    static func route(_ dialect: Dialect) -> RouteOptions {
        RouteOptions(modelID: "bench-\(dialect.rawValue)", upstreamDialect: dialect, upstreamModel: "bench-upstream")
    }

    /// Every client dialect on the anthropic route (converted, but for the
    /// Anthropic client's pass-through), and passed through on its own
    /// format's route, streamed and not: the scenarios of tools/bench.sh.
    static let all: [BenchScenario] = [false, true].flatMap { stream in
        let kind = stream ? "stream" : "small"
        let streamField = stream ? #","stream":true"# : ""
        let anthropicReply = stream ? UpstreamReplies.anthropicStream : UpstreamReplies.anthropicMessage
        func openAIBody(_ model: String) -> String {
            let usage = stream ? #","stream_options":{"include_usage":true}"# : ""
            return #"{"model":"\#(model)","max_tokens":256,"messages":\#(prompt)\#(streamField)\#(usage)}"#
        }
        func responsesBody(_ model: String) -> String {
            #"{"model":"\#(model)","max_output_tokens":256,"input":\#(prompt)\#(streamField)}"#
        }
        func geminiPath(_ model: String) -> String {
            "/v1beta/models/\(model):" + (stream ? "streamGenerateContent?alt=sse" : "generateContent")
        }
        let geminiBody = #"{"contents":\#(geminiPrompt),"generationConfig":{"maxOutputTokens":256}}"#
        let anthropic = route(.anthropic)
        return [
            BenchScenario(
                name: "anthropic-\(kind)", path: "/v1/messages",
                clientBody: #"{"model":"bench-anthropic","max_tokens":256,"messages":\#(prompt)\#(streamField)}"#,
                route: anthropic, upstreamReply: anthropicReply, stream: stream),
            BenchScenario(
                name: "openai-client-to-anthropic-\(kind)", path: "/v1/chat/completions",
                clientBody: openAIBody("bench-anthropic"), route: anthropic, upstreamReply: anthropicReply,
                stream: stream),
            BenchScenario(
                name: "gemini-client-to-anthropic-\(kind)", path: geminiPath("bench-anthropic"), clientBody: geminiBody,
                route: anthropic, upstreamReply: anthropicReply, stream: stream),
            BenchScenario(
                name: "responses-client-to-anthropic-\(kind)", path: "/v1/responses",
                clientBody: responsesBody("bench-anthropic"), route: anthropic, upstreamReply: anthropicReply,
                stream: stream),
            BenchScenario(
                name: "openai-client-passthrough-\(kind)", path: "/v1/chat/completions",
                clientBody: openAIBody("bench-openai"), route: route(.openai),
                upstreamReply: stream ? UpstreamReplies.openAIStream : UpstreamReplies.openAIMessage, stream: stream),
            BenchScenario(
                name: "gemini-client-passthrough-\(kind)", path: geminiPath("bench-gemini"), clientBody: geminiBody,
                route: route(.gemini),
                upstreamReply: stream ? UpstreamReplies.geminiStream : UpstreamReplies.geminiMessage, stream: stream),
            BenchScenario(
                name: "responses-client-passthrough-\(kind)", path: "/v1/responses",
                clientBody: responsesBody("bench-openai-responses"), route: route(.openaiResponses),
                upstreamReply: stream ? UpstreamReplies.responsesStream : UpstreamReplies.responsesMessage,
                stream: stream),
        ]
    }
}

import Wire

/// What Anthropic refuses, with a 400, in a request converted from another
/// client's dialect, fitted so the request goes through.
///
/// OpenAI and Gemini clients send settings their own APIs take and
/// Anthropic does not; each rule below is an Anthropic 400 seen in the wild
/// (an OpenAI agent with reasoning and tools failed on its second turn), and
/// each change is reported as a diagnostic:
/// - with thinking on: no `temperature` but 1, no `top_p` below 0.95, no
///   `top_k`; a budget of at least 1,024 and below `max_tokens` (fitted, or
///   thinking off when even the least does not fit); no forced tool use
///   (thinking off); and the last assistant turn, when it called tools, must
///   start with a thinking block: one whose reasoning came from another
///   provider was dropped (``UnverifiableThinking``) or never had one, so
///   thinking is off for that request (the model thinks again on the next
///   turn of its own);
/// - `temperature` at most 1 (OpenAI's and Gemini's run to 2);
/// - not both `temperature` and `top_p` (Claude 4.5 and later refuse it;
///   Anthropic advises one or the other): `top_p` goes;
/// - no stop sequence that is empty or only whitespace (`"\n"` is a common
///   OpenAI one): the proxy applies them to the answer instead
///   (``UpstreamStopSequences``);
/// - tool ids of `[A-Za-z0-9_-]` only, and a user message's tool results
///   before its other blocks;
/// - strict tools only where the model takes them, their schemas of the
///   keywords it takes (``fitStrictTools(_:_:)``);
/// - none of the `seed` and penalties the pivot carries for other
///   upstreams (``SeedAndPenalties``);
/// - no text of only whitespace, in user turns too (``BlankTurnText``).
///
/// Anthropic clients' requests are theirs and go as sent, but for the
/// thinking of other providers (``UnverifiableThinking``, ``fitToolTurn(_:afterDrop:)``)
/// and the blank text they wrote (``BlankTurnText``).
enum AnthropicUpstreamFit {
    static func fitted(_ request: ConvertedRequest) -> ConvertedRequest {
        guard case .object(var body) = request.body else { return request }
        var diagnostics = request.diagnostics
        // The effort an OpenAI client asked for rides in the pivot for
        // OpenAI upstreams (ReasoningEffortMapping.addThinking); not every
        // Anthropic model takes one, and the budget says it already.
        if var config = body["output_config"]?.objectValue, config["effort"] != nil {
            config["effort"] = nil
            body["output_config"] = config.isEmpty ? nil : .object(config)
        }
        // Carried in the pivot for the upstreams that take them; Anthropic
        // refuses a member it does not know.
        SeedAndPenalties.drop(from: &body, upstream: "Anthropic Messages", diagnostics: &diagnostics)
        fitStopSequences(&body, &diagnostics)
        fitToolBlocks(&body, &diagnostics)
        fitStrictTools(&body, &diagnostics)
        fitThinking(&body, &diagnostics)
        fitSampling(&body, &diagnostics)
        return ConvertedRequest(body: .object(body), diagnostics: diagnostics)
    }

    private static func fitStopSequences(_ body: inout JSONObject, _ diagnostics: inout [ConversionDiagnostic]) {
        guard let stops = body["stop_sequences"]?.arrayValue else { return }
        let kept = stops.filter { stop in
            guard let text = stop.stringValue else { return true }
            return !UpstreamStopSequences.anthropicRefuses(text)
        }
        guard kept.count != stops.count else { return }
        body["stop_sequences"] = kept.isEmpty ? nil : .array(kept)
        diagnostics.append(
            .info(
                "/stop_sequences",
                "Anthropic refuses stop sequences of only whitespace; \(stops.count - kept.count) not sent, "
                    + "all applied by the proxy to the answer"))
    }

    /// Anthropic takes tool ids of `[A-Za-z0-9_-]` only; other providers
    /// make others (Kimi's `functions.get_weather:0`), which an OpenAI
    /// client's history carries. Each other byte becomes `_`, in the call
    /// and in its result alike, so they still pair. And a user message's
    /// tool results go first in it.
    private static func fitToolBlocks(_ body: inout JSONObject, _ diagnostics: inout [ConversionDiagnostic]) {
        guard case .array(var messages)? = body["messages"] else { return }
        var changed = false
        for index in messages.indices {
            guard case .object(var message) = messages[index], case .array(var blocks)? = message["content"] else {
                continue
            }
            var blocksChanged = false
            for blockIndex in blocks.indices {
                guard case .object(var block) = blocks[blockIndex] else { continue }
                let key = block["type"] == "tool_result" ? "tool_use_id" : "id"
                guard block["type"] == "tool_use" || block["type"] == "tool_result",
                    let id = block[key]?.stringValue, let safe = anthropicToolID(id)
                else { continue }
                block[key] = .string(safe)
                blocks[blockIndex] = .object(block)
                blocksChanged = true
            }
            // Anthropic wants a user message's tool results before anything
            // else in it; a Gemini turn may put text between them.
            if message["role"] == "user", let firstOther = blocks.firstIndex(where: { $0["type"] != "tool_result" }),
                blocks[firstOther...].contains(where: { $0["type"] == "tool_result" })
            {
                blocks = blocks.filter { $0["type"] == "tool_result" } + blocks.filter { $0["type"] != "tool_result" }
                blocksChanged = true
            }
            guard blocksChanged else { continue }
            message["content"] = .array(blocks)
            messages[index] = .object(message)
            changed = true
        }
        guard changed else { return }
        body["messages"] = .array(messages)
        diagnostics.append(
            .info("/messages", "tool ids with characters Anthropic refuses replaced by _, or tool results put first"))
    }

    /// `id` with every byte outside `[A-Za-z0-9_-]` replaced by `_`; nil
    /// when it has none.
    static func anthropicToolID(_ id: String) -> String? {
        let allowed: (UInt8) -> Bool = { byte in
            (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-")
        }
        guard !id.utf8.allSatisfy(allowed) else { return nil }
        return String(decoding: id.utf8.map { allowed($0) ? $0 : UInt8(ascii: "_") }, as: UTF8.self)
    }

    private static func fitThinking(_ body: inout JSONObject, _ diagnostics: inout [ConversionDiagnostic]) {
        guard let type = thinkingType(body) else { return }
        if let forced = body["tool_choice"]?["type"]?.stringValue, forced == "any" || forced == "tool" {
            turnThinkingOff(
                &body, &diagnostics, "Anthropic refuses forced tool use (tool_choice \(forced)) with thinking")
            return
        }
        if offForToolTurn(&body, &diagnostics) { return }
        if type == "enabled", let budget = body["thinking"]?["budget_tokens"]?.intValue,
            budget < RequestConverter.minimumThinkingBudget
        {
            body["thinking"] = [
                "type": "enabled", "budget_tokens": .int(Int64(RequestConverter.minimumThinkingBudget)),
            ]
            diagnostics.append(
                .info(
                    "/thinking/budget_tokens",
                    "Anthropic's least thinking budget is \(RequestConverter.minimumThinkingBudget); \(budget) raised"))
        }
        if let maxTokens = body["max_tokens"]?.intValue {
            RequestConverter.fitThinkingBudget(&body, below: maxTokens, chosenForCap: true, diagnostics: &diagnostics)
            guard body["thinking"] != nil else { return }
        }
        if let temperature = body["temperature"]?.doubleValue, temperature != 1 {
            body["temperature"] = nil
            diagnostics.append(.info("/temperature", "Anthropic takes no temperature but 1 with thinking; dropped"))
        }
        if let topP = body["top_p"]?.doubleValue, topP < 0.95 {
            body["top_p"] = nil
            diagnostics.append(.info("/top_p", "Anthropic takes no top_p below 0.95 with thinking; dropped"))
        }
        if body["top_k"] != nil {
            body["top_k"] = nil
            diagnostics.append(.info("/top_k", "Anthropic takes no top_k with thinking; dropped"))
        }
    }

    /// `enabled` or `adaptive`; nil when thinking is off.
    private static func thinkingType(_ body: JSONObject) -> String? {
        guard let type = body["thinking"]?["type"]?.stringValue, type == "enabled" || type == "adaptive" else {
            return nil
        }
        return type
    }

    /// Thinking off when the last assistant turn called tools without a
    /// thinking block first (none was sent, or another provider's was
    /// dropped): Anthropic refuses such a turn with thinking on. True when
    /// it was turned off.
    private static func offForToolTurn(_ body: inout JSONObject, _ diagnostics: inout [ConversionDiagnostic]) -> Bool {
        guard let turn = lastAssistantTurn(body), turn.callsTools, !turn.startsWithThinking else { return false }
        turnThinkingOff(
            &body, &diagnostics,
            "the last assistant turn called tools without a thinking block Anthropic can verify, "
                + "which Anthropic refuses with thinking on")
        return true
    }

    /// The one rule for an Anthropic client's request, whose other settings
    /// go as sent: its last tool turn must start with a thinking block when
    /// thinking is on. After ``UnverifiableThinking`` dropped another
    /// provider's thinking (`afterDrop`), the turn may have lost the block
    /// it started with. With `enabled` thinking, a turn another route
    /// answered (a fallback, a `/model` switch mid-task) may never have had
    /// one, which Anthropic refuses with 400; Claude itself starts every
    /// turn with one there. Not with `adaptive` thinking (Claude Code's),
    /// where Claude's own turns may start without one and are taken.
    static func fitToolTurn(_ request: inout ConvertedRequest, afterDrop: Bool) {
        guard case .object(var body) = request.body, let type = thinkingType(body), afterDrop || type == "enabled",
            offForToolTurn(&body, &request.diagnostics)
        else { return }
        request.body = .object(body)
    }

    private static func fitSampling(_ body: inout JSONObject, _ diagnostics: inout [ConversionDiagnostic]) {
        if let temperature = body["temperature"]?.doubleValue, temperature > 1 {
            body["temperature"] = 1
            diagnostics.append(.info("/temperature", "Anthropic's temperature runs to 1; \(temperature) sent as 1"))
        }
        if body["temperature"] != nil, body["top_p"] != nil {
            body["top_p"] = nil
            diagnostics.append(
                .info("/top_p", "Anthropic's current models take temperature or top_p, not both; top_p dropped"))
        }
    }

    private static func turnThinkingOff(
        _ body: inout JSONObject, _ diagnostics: inout [ConversionDiagnostic], _ reason: String
    ) {
        body["thinking"] = nil
        diagnostics.append(.warning("/thinking", "\(reason); thinking off for this request"))
    }

    /// The last assistant turn: the assistant messages after the last user
    /// message that answers no tool call. A tool loop is one turn, whose
    /// thinking (when on) starts its first message only: Claude does not
    /// think again before each later call without interleaved thinking.
    /// Whether any of its messages calls a tool, and whether its first
    /// message starts with thinking; nil when there is no such turn.
    private static func lastAssistantTurn(_ body: JSONObject) -> (callsTools: Bool, startsWithThinking: Bool)? {
        guard let messages = body["messages"]?.arrayValue else { return nil }
        var first: JSONValue?
        var callsTools = false
        for message in messages.reversed() {
            let blocks = message["content"]?.arrayValue ?? []
            if message["role"] == "assistant" {
                first = message
                callsTools = callsTools || blocks.contains { $0["type"] == "tool_use" }
            } else if !blocks.contains(where: { $0["type"] == "tool_result" }) {
                break
            }
        }
        guard let first else { return nil }
        let firstType = first["content"]?.arrayValue?.first?["type"]?.stringValue
        return (callsTools, firstType == "thinking" || firstType == "redacted_thinking")
    }
}

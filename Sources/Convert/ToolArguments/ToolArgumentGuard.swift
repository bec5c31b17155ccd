import Wire

/// Checks each streamed tool call's arguments before the client acts on
/// them: when a `tool_use` block closes, its arguments must be a JSON
/// object that fits the tool's `input_schema` (required fields, types; see
/// ``ToolInputSchema``).
///
/// A repair is made only where it is certain: a trailing comma is dropped
/// and a truncated object is closed (one more `input_json_delta` with the
/// missing brackets before the block's stop). Anything else ends the stream
/// with an `error` event that names the tool and the field, instead of
/// handing the client a call it would reject or run wrongly. Each repair or
/// rejection is a diagnostic.
///
/// A call cut short by the output cap is the exception: when the block's
/// stop is followed by `stop_reason: max_tokens`, the arguments go on as
/// they are, as Anthropic's own API sends them, and the client, told the
/// answer was cut, decides. So a refusal waits for the event after the stop.
///
/// It sits between a transcoder and the client's encoder, on pivot events,
/// so every client dialect gets the same check. Arguments still stream as
/// they arrive: only a comma waits, for the next byte after it.
struct ToolArgumentGuard: Sendable {
    /// What happens to one pivot event.
    enum Verdict: Sendable, Equatable {
        case pass
        case drop
        case replace([AnthropicStreamEvent])
    }

    /// The request's `tools`, read when the first call starts (most streams
    /// have none, and a converted request's tools cost a conversion to find).
    private let toolsSource: @Sendable () -> JSONValue?
    private var schemas: [String: ToolInputSchema]?
    private let upstreamName: String
    private var open: (index: Int, name: String, text: ToolArgumentText)?
    private var failed = false
    /// A refusal decided at a block's stop, held until the next event shows
    /// whether the answer hit `max_tokens`.
    private var pendingRefusal: (message: String, path: String, stop: AnthropicStreamEvent)?
    /// Repairs and rejections not yet taken by ``takeDiagnostics()``.
    private var diagnostics: [ConversionDiagnostic] = []

    /// - Parameter tools: the client's request's `tools`, as an Anthropic request has them.
    init(upstreamName: String, tools: @escaping @Sendable () -> JSONValue?) {
        self.upstreamName = upstreamName
        toolsSource = tools
    }

    mutating func takeDiagnostics() -> [ConversionDiagnostic] {
        defer { diagnostics.removeAll() }
        return diagnostics
    }

    var hasDiagnostics: Bool { !diagnostics.isEmpty }

    mutating func check(_ event: AnthropicStreamEvent) -> Verdict {
        if failed { return .drop }
        if let refusal = pendingRefusal {
            pendingRefusal = nil
            if case .messageDelta(let delta) = event, delta.stopReason == "max_tokens" {
                diagnostics.append(
                    .info(refusal.path, "not refused, the answer hit max_tokens: \(refusal.message)"))
                return .replace([refusal.stop, event])
            }
            return refuse(refusal.message, path: refusal.path)
        }
        switch event {
        case .contentBlockStart(let index, let block):
            // A call the upstream never stopped ends where the next block starts (the fuzz target found
            // a repeated start of the same tool_use block handing the client half an argument object).
            if open != nil { return closeUnstopped(before: event) }
            if case .toolUse(_, let name, _) = block { open = (index, name, ToolArgumentText()) }
            return .pass
        case .contentBlockDelta(let index, .inputJSON(let fragment)):
            guard open?.index == index else { return .pass }
            let out = open!.text.pass(fragment)
            if out == fragment { return .pass }
            return .replace(out.isEmpty ? [] : [.contentBlockDelta(index: index, delta: .inputJSON(out))])
        case .contentBlockStop(let index):
            guard let call = open, call.index == index else { return .pass }
            open = nil
            return close(call.name, index: index, text: call.text, stop: event)
        case .messageDelta, .messageStop:
            guard open != nil else { return .pass }
            return closeUnstopped(before: event)
        default:
            return .pass
        }
    }

    /// A call the upstream never stopped is stopped and checked as at its own stop before `event`, so its
    /// arguments never reach the client unchecked; then `event` gets its own check.
    private mutating func closeUnstopped(before event: AnthropicStreamEvent) -> Verdict {
        guard let call = open else { return check(event) }
        open = nil
        let stop = AnthropicStreamEvent.contentBlockStop(index: call.index)
        let closing: [AnthropicStreamEvent]
        switch close(call.name, index: call.index, text: call.text, stop: stop) {
        case .pass: closing = [stop]
        case .replace(let events): closing = events
        case .drop: return check(event)  // the held refusal meets this event
        }
        switch check(event) {
        case .pass: return .replace(closing + [event])
        case .replace(let events): return .replace(closing + events)
        case .drop: return .replace(closing)
        }
    }

    private mutating func close(
        _ name: String, index: Int, text: ToolArgumentText, stop: AnthropicStreamEvent
    )
        -> Verdict
    {
        var text = text
        let path = "/content/\(index)/input"
        var events: [AnthropicStreamEvent] = []
        let arguments: JSONValue
        switch text.finish() {
        case .complete(let value):
            arguments = value
        case .closed(let value, let suffix):
            arguments = value
            events.append(.contentBlockDelta(index: index, delta: .inputJSON(suffix)))
            diagnostics.append(
                .warning(path, "tool \"\(name)\": arguments were cut short; closed them with \(suffix)"))
        case .blank:
            // Empty arguments are the empty object to every client, but " " parses as nothing (the fuzz
            // target found a call of whitespace alone reaching the client as it came).
            arguments = [:]
            events.append(.contentBlockDelta(index: index, delta: .inputJSON("{}")))
            diagnostics.append(.warning(path, "tool \"\(name)\": arguments were only whitespace; sent {} after them"))
        case .invalid(let why):
            let excerpt = text.sent.count > 120 ? text.sent.prefix(120) + "..." : text.sent[...]
            return reject(name, path: path, "its arguments are not valid JSON, \(why): \(excerpt)", stop: stop)
        }
        if text.droppedTrailingComma {
            diagnostics.append(.warning(path, "tool \"\(name)\": dropped a trailing comma from its arguments"))
        }
        guard case .object = arguments else {
            return reject(
                name, path: path, "its arguments must be a JSON object, not \(arguments.typeName)", stop: stop)
        }
        if let violation = schema(for: name)?.firstViolation(in: arguments) {
            let field = violation.field.isEmpty ? "its arguments" : "field \"\(violation.field)\""
            return reject(name, path: path, "\(field) \(violation.problem)", stop: stop)
        }
        if events.isEmpty { return .pass }
        events.append(stop)
        return .replace(events)
    }

    /// Holds the refusal (and the block's stop) for the next event.
    private mutating func reject(
        _ name: String, path: String, _ problem: String, stop: AnthropicStreamEvent
    )
        -> Verdict
    {
        let message = "upstream \(upstreamName) called tool \"\(name)\" wrongly: \(problem)"
        pendingRefusal = (message, path, stop)
        return .drop
    }

    private mutating func refuse(_ message: String, path: String) -> Verdict {
        failed = true
        diagnostics.append(.warning(path, "rejected: \(message)"))
        return .replace([.error(APIError(status: 502, type: "api_error", message: message))])
    }

    /// The stream is over: a refusal still held goes out.
    mutating func finish() -> [AnthropicStreamEvent] {
        guard let refusal = pendingRefusal else { return [] }
        pendingRefusal = nil
        if case .replace(let events) = refuse(refusal.message, path: refusal.path) { return events }
        return []
    }

    private mutating func schema(for name: String) -> ToolInputSchema? {
        if schemas == nil {
            var found: [String: ToolInputSchema] = [:]
            for tool in toolsSource()?.arrayValue ?? [] {
                guard let toolName = tool["name"]?.stringValue, let schema = tool["input_schema"]?.objectValue else {
                    continue
                }
                found[toolName] = ToolInputSchema(schema: schema)
            }
            schemas = found
        }
        return schemas?[name]
    }
}

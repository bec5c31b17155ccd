import Wire

/// Writes the Anthropic Messages events every stream transcoder produces,
/// and keeps the bookkeeping that makes them a valid stream: `message_start`
/// then `ping` first, one open block at a time with indexes rising from 0,
/// deltas only into the open block, a signature only where one was given,
/// and `message_delta` + `message_stop` (or one `error`) last, then nothing.
///
/// The transcoders decide *what* goes out (which upstream piece is text,
/// thinking or a tool call, and when a block may close); this type decides
/// how it is written, so the dialects cannot drift apart in shape.
struct AnthropicStreamEmitter: Sendable {
    enum BlockKind: Sendable, Equatable {
        case text
        case thinking
        /// A `tool_use` block; the payload is the transcoder's own key for the call.
        case tool(Int)
    }

    enum Phase: Sendable { case waitingForFirstChunk, streaming, ended }

    let requestedModel: String
    private(set) var phase = Phase.waitingForFirstChunk
    private(set) var messageID = ""
    private(set) var open: (kind: BlockKind, index: Int)?
    private(set) var nextBlockIndex = 0
    /// True once any `tool_use` block started, so a plain "stop" still
    /// becomes `tool_use` and the client runs the tools.
    private(set) var startedToolUse = false
    /// Sent as a `signature_delta` when the open thinking block closes.
    var thinkingSignature: String?
    /// Text of only whitespace that would open a text block: held until
    /// other text follows it, and dropped when another block starts or the
    /// stream ends first. A block of whitespace alone (a Chat model's
    /// `"\n\n"` before its tool call) is one Anthropic refuses when the
    /// client sends it back, as Claude Code does after a `/model` switch.
    private var heldWhitespace = ""

    init(requestedModel: String) {
        self.requestedModel = requestedModel
    }

    var hasStarted: Bool { phase != .waitingForFirstChunk }
    var isEnded: Bool { phase == .ended }

    /// `message_start` (output tokens 0; input tokens from `usage` when the
    /// upstream already reported them) and `ping`.
    mutating func start(messageID: String, usage: JSONObject?, into output: inout [AnthropicStreamEvent]) {
        guard phase == .waitingForFirstChunk else { return }
        phase = .streaming
        self.messageID = messageID
        var startUsage: JSONObject = ["input_tokens": 0, "output_tokens": 0]
        if let usage {
            startUsage = usage
            startUsage["output_tokens"] = 0
        }
        output.append(.messageStart(.init(id: messageID, model: requestedModel, usage: startUsage)))
        output.append(.ping)
    }

    /// Opens a text or thinking block (use ``startToolUse`` for tools).
    mutating func startBlock(_ kind: BlockKind, into output: inout [AnthropicStreamEvent]) {
        let block: ContentBlock
        switch kind {
        case .text: block = .text("")
        case .thinking: block = .thinking(thinking: "", signature: "")
        case .tool(let key):
            startToolUse(key: key, id: "toolu_\(messageID)_\(key)", name: "unnamed_tool_call", into: &output)
            return
        }
        open(kind, block: block, into: &output)
    }

    mutating func startToolUse(key: Int, id: String, name: String, into output: inout [AnthropicStreamEvent]) {
        startedToolUse = true
        open(
            .tool(key), block: .toolUse(id: id, name: name, input: [:]), into: &output)
    }

    private mutating func open(_ kind: BlockKind, block: ContentBlock, into output: inout [AnthropicStreamEvent]) {
        // Whitespace held before another block would have made a block of its own.
        heldWhitespace = ""
        output.append(.contentBlockStart(index: nextBlockIndex, block: block))
        open = (kind, nextBlockIndex)
        nextBlockIndex += 1
    }

    /// Text or thinking into the open block of that kind, else into a new
    /// block after closing the open one. Empty text writes nothing, and
    /// whitespace alone opens no text block (``heldWhitespace``), so no text
    /// block is ever empty or blank.
    mutating func stream(_ text: String, as kind: BlockKind, into output: inout [AnthropicStreamEvent]) {
        guard !text.isEmpty else { return }
        var text = text
        if kind == .text, open?.kind != .text {
            if !heldWhitespace.isEmpty { text = heldWhitespace + text }
            guard !text.isBlankToAnthropic else {
                heldWhitespace = text
                // It ends the open thinking or tool block all the same, as
                // when it opened a block of its own: what comes with it (a
                // Gemini part's signature) is not put on that block.
                closeOpenBlock(into: &output)
                return
            }
            heldWhitespace = ""
        }
        if open?.kind != kind {
            closeOpenBlock(into: &output)
            startBlock(kind, into: &output)
        }
        appendText(text, into: &output)
    }

    /// A `text_delta` or `thinking_delta`, by the open block's kind.
    mutating func appendText(_ text: String, into output: inout [AnthropicStreamEvent]) {
        guard let open else { return }
        output.append(
            .contentBlockDelta(index: open.index, delta: open.kind == .thinking ? .thinking(text) : .text(text)))
    }

    /// An `input_json_delta` into the open tool block.
    mutating func appendJSON(_ fragment: String, into output: inout [AnthropicStreamEvent]) {
        guard let open, !fragment.isEmpty else { return }
        output.append(.contentBlockDelta(index: open.index, delta: .inputJSON(fragment)))
    }

    /// A whole tool call at once: start, its input as one `input_json_delta`
    /// (none for an empty input), stop.
    mutating func emitToolUse(
        key: Int, id: String, name: String, input: JSONValue, into output: inout [AnthropicStreamEvent]
    ) {
        closeOpenBlock(into: &output)
        startToolUse(key: key, id: id, name: name, into: &output)
        if input.objectValue?.isEmpty != true { appendJSON(input.serializedString(), into: &output) }
        closeOpenBlock(into: &output)
    }

    /// A thinking block that carries only a signature (the upstream sent one
    /// with no thought text to show), so the client keeps and returns it.
    mutating func emitSignatureOnlyThinking(_ signature: String, into output: inout [AnthropicStreamEvent]) {
        closeOpenBlock(into: &output)
        startBlock(.thinking, into: &output)
        thinkingSignature = signature
        closeOpenBlock(into: &output)
    }

    /// Closes the open block (a thinking block first gets its signature) and
    /// says what it was.
    @discardableResult
    mutating func closeOpenBlock(into output: inout [AnthropicStreamEvent]) -> BlockKind? {
        guard let open else { return nil }
        if open.kind == .thinking, let signature = thinkingSignature {
            output.append(.contentBlockDelta(index: open.index, delta: .signature(signature)))
            thinkingSignature = nil
        }
        output.append(.contentBlockStop(index: open.index))
        self.open = nil
        return open.kind
    }

    /// Closes what is open, then `message_delta` with the stop reason and
    /// usage, and `message_stop`. The stream is over afterwards.
    mutating func finish(
        stopReason: String, stopSequence: String?, usage: JSONObject?, reasoningTokens: Int?,
        into output: inout [AnthropicStreamEvent]
    ) {
        guard phase != .ended else { return }
        closeOpenBlock(into: &output)
        output.append(
            .messageDelta(
                .init(
                    stopReason: stopReason, stopSequence: stopReason == "stop_sequence" ? stopSequence ?? "" : nil,
                    usage: usage ?? ["output_tokens": 0], reasoningTokens: reasoningTokens)))
        output.append(.messageStop)
        phase = .ended
    }

    /// Ends the stream with an `error` event, whatever state it was in.
    mutating func fail(_ error: APIError) -> [AnthropicStreamEvent] {
        guard phase != .ended else { return [] }
        phase = .ended
        return [.error(error)]
    }
}

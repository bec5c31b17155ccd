import Wire

/// Ends an answer at the first of the client's stop sequences, where the
/// upstream was not given them all (see ``UpstreamStopSequences``), as
/// Anthropic would have: the text up to the sequence (not including it), no
/// later block, `stop_reason: "stop_sequence"` and the sequence matched.
/// Only text is cut: Anthropic applies stop sequences to text, not to
/// thinking or tool calls.
///
/// For a stream it sits on the pivot events on their way to the client's
/// encoder, holding back only the end of a text block that could still
/// begin a sequence (``StopSequenceMatcher``); a whole answer is cut with
/// ``cut(_:at:)``.
struct StopSequenceCut: Sendable {
    private let sequences: [String]
    /// The open text block's index and the matcher over its text.
    private var textBlock: (index: Int, matcher: StopSequenceMatcher)?
    /// A text block's start, held until it has text: a match at its very
    /// start leaves no empty block behind.
    private var unopenedText: Int?
    /// The usage `message_start` reported, all that is known when the
    /// answer is ended before the upstream's own end.
    private var usage: JSONObject?
    /// Unicode scalars of the text, thinking and tool input let through:
    /// the upstreams that are cut (Chat, Responses, Gemini) count output
    /// tokens only at their end, which a cut answer never reaches, so its
    /// `output_tokens` is estimated from them (``TokenEstimator``).
    private var outputCharacters = 0
    /// The sequence that ended the answer; nothing is let through after it.
    private(set) var matched: String?
    /// The usage the client was told in the `message_delta` that ended the
    /// answer: the exchange's usage from then on (its access line, metrics,
    /// the cassette's `end` line), not the upstream's, cut short.
    private(set) var usageAtCut: JSONObject?

    /// - Parameter sequences: the client's stop sequences (empty ones are
    ///   never matched).
    init(sequences: [String]) {
        self.sequences = sequences
    }

    /// Whether the answer was ended at a stop sequence.
    var hasEnded: Bool { matched != nil }

    /// One pivot event in; the events for the client out. On a match, the
    /// text block is closed and `message_delta` (with the usage known so
    /// far) and `message_stop` end the message; every event after is dropped.
    mutating func receive(_ event: AnthropicStreamEvent, into output: inout [AnthropicStreamEvent]) {
        guard matched == nil else { return }
        switch event {
        case .messageStart(let start):
            usage = start.usage
            output.append(event)
        case .contentBlockStart(index: let index, block: .text(let initial)):
            textBlock = (index, StopSequenceMatcher(sequences))
            unopenedText = index
            if !initial.isEmpty { receiveText(initial, index: index, into: &output) }
        case .contentBlockDelta(index: let index, delta: .text(let text)) where index == textBlock?.index:
            receiveText(text, index: index, into: &output)
        case .contentBlockDelta(index: _, delta: .thinking(let text)),
            .contentBlockDelta(index: _, delta: .inputJSON(let text)):
            outputCharacters += text.unicodeScalars.count
            output.append(event)
        case .contentBlockStop(index: let index) where index == textBlock?.index:
            releaseHeldText(into: &output)
            output.append(event)
        case .error:
            releaseHeldText(into: &output)
            output.append(event)
        default:
            output.append(event)
        }
    }

    private mutating func receiveText(_ text: String, index: Int, into output: inout [AnthropicStreamEvent]) {
        let (released, matched) = textBlock!.matcher.receive(text)
        appendText(released, index: index, into: &output)
        guard let matched else { return }
        self.matched = matched
        if unopenedText == nil { output.append(.contentBlockStop(index: index)) }
        textBlock = nil
        var known = usage ?? [:]
        let estimate = TokenEstimator.estimateTokens(characters: outputCharacters)
        known["output_tokens"] = .int(Int64(max(known["output_tokens"]?.intValue ?? 0, estimate)))
        usageAtCut = known
        output.append(.messageDelta(.init(stopReason: "stop_sequence", stopSequence: matched, usage: known)))
        output.append(.messageStop)
    }

    /// The open text block ends: what was held back goes out.
    private mutating func releaseHeldText(into output: inout [AnthropicStreamEvent]) {
        guard var block = textBlock else { return }
        let held = block.matcher.finish()
        textBlock = nil
        if unopenedText != nil { output.append(.contentBlockStart(index: block.index, block: .text(""))) }
        unopenedText = nil
        appendText(held, index: block.index, into: &output)
    }

    private mutating func appendText(_ text: String, index: Int, into output: inout [AnthropicStreamEvent]) {
        guard !text.isEmpty else { return }
        outputCharacters += text.unicodeScalars.count
        if unopenedText != nil {
            output.append(.contentBlockStart(index: index, block: .text("")))
            unopenedText = nil
        }
        output.append(.contentBlockDelta(index: index, delta: .text(text)))
    }

    /// An Anthropic message cut as a stream would be: the first text block
    /// that holds a sequence ends before it (and is left out if that leaves
    /// it empty), later blocks go, and the stop reason says which sequence.
    /// A message with no match is unchanged.
    static func cut(_ message: inout JSONObject, at sequences: [String]) {
        guard let content = message["content"]?.arrayValue else { return }
        for (position, block) in content.enumerated() {
            guard block["type"]?.stringValue == "text", let text = block["text"]?.stringValue else { continue }
            var matcher = StopSequenceMatcher(sequences)
            let (released, matched) = matcher.receive(text)
            guard let matched else { continue }
            var kept = Array(content[..<position])
            if !released.isEmpty, case .object(var object) = block {
                object["text"] = .string(released)
                kept.append(.object(object))
            }
            message["content"] = .array(kept)
            message["stop_reason"] = "stop_sequence"
            message["stop_sequence"] = .string(matched)
            return
        }
    }
}

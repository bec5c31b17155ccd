import Wire

/// Content blocks: which segment holds the one open block, what waits, and
/// the start / delta / stop events.
extension OpenAIChatStreamTranscoder {
    /// Name given to a tool call whose name never arrived, so the client
    /// reports an unknown tool to the model instead of losing the call.
    static let unnamedToolName = "unnamed_tool_call"

    /// Text or thinking: streamed into the open block of its kind, or a new
    /// block when nothing is waiting, else queued behind what waits.
    mutating func receive(_ segment: Segment, into output: inout [AnthropicStreamEvent]) {
        let kind: BlockKind
        let text: String
        switch segment {
        case .text(let value): (kind, text) = (.text, value)
        case .thinking(let value): (kind, text) = (.thinking, value)
        case .tool: return
        }
        if waiting.isEmpty, emitter.open?.kind == kind || openBlockCanClose {
            stream(text, as: kind, into: &output)
        } else {
            enqueue(segment)
        }
    }

    /// Where calls go whose upstream reused an `index` for a new call.
    static let reusedIndexSlots = 1 << 32

    mutating func receiveToolCall(_ call: OpenAIChatChunk.ToolCallDelta, into output: inout [AnthropicStreamEvent]) {
        let id = call.id.flatMap { $0.isEmpty ? nil : $0 }
        var slot = slotByIndex[call.index] ?? call.index
        // Some providers send each parallel call whole, all at index 0: a
        // different id at a known index is a new call, not more arguments.
        if let id, let known = toolCalls[slot]?.id, known != id {
            slot = Self.reusedIndexSlots + toolCalls.count
            slotByIndex[call.index] = slot
        }
        var state = toolCalls[slot] ?? ToolCall()
        if state.id == nil, let id { state.id = id }
        if state.name == nil, let name = call.name, !name.isEmpty { state.name = name }
        let fragment = call.arguments
        state.arguments.consume(fragment)
        switch state.status {
        case .open:
            emitter.appendJSON(fragment, into: &output)
        case .closed:
            // Only possible after `finish_reason` or once the arguments were
            // complete JSON, so nothing meaningful can be lost here.
            break
        case .pending:
            state.buffered += fragment
            state.status = .queued
            waiting.append(.tool(slot))
        case .queued:
            state.buffered += fragment
        }
        toolCalls[slot] = state
        drainWaiting(force: false, includingUnnamed: false, into: &output)
    }

    /// At `finish_reason` and at the end: everything waiting goes out in
    /// order, whether or not the open call's arguments look complete.
    mutating func flushAll(includingUnnamed: Bool, into output: inout [AnthropicStreamEvent]) {
        drainWaiting(force: true, includingUnnamed: includingUnnamed, into: &output)
        if waiting.isEmpty { closeOpenBlock(into: &output) }
    }

    /// Starts waiting segments while the open block may close. `force`
    /// closes an open tool call even if its arguments are incomplete.
    private mutating func drainWaiting(force: Bool, includingUnnamed: Bool, into output: inout [AnthropicStreamEvent]) {
        while let head = waiting.first {
            if emitter.open != nil && !force && !openBlockCanClose { return }
            switch head {
            case .text(let text):
                stream(text, as: .text, into: &output)
            case .thinking(let text):
                stream(text, as: .thinking, into: &output)
            case .tool(let callIndex):
                guard var state = toolCalls[callIndex], state.name != nil || includingUnnamed else { return }
                closeOpenBlock(into: &output)
                state.status = .open
                // The upstream's id stays in `state` (a different one at the
                // same index is a new call); the client gets a unique one.
                let id = ids.toolUseID(
                    upstreamID: state.id, messageID: emitter.messageID, index: callIndex, earlier: toolUseIDs)
                toolUseIDs.insert(id)
                emitter.startToolUse(key: callIndex, id: id, name: state.name ?? Self.unnamedToolName, into: &output)
                emitter.appendJSON(state.buffered, into: &output)
                state.buffered = ""
                toolCalls[callIndex] = state
            }
            waiting.removeFirst()
        }
    }

    /// Text and thinking can always be closed; a tool call only once its
    /// arguments form a complete JSON value.
    private var openBlockCanClose: Bool {
        guard case .tool(let callIndex)? = emitter.open?.kind else { return true }
        return toolCalls[callIndex]?.arguments.isComplete ?? true
    }

    private mutating func enqueue(_ segment: Segment) {
        switch (waiting.last, segment) {
        case (.text(let queued)?, .text(let text)):
            waiting[waiting.count - 1] = .text(queued + text)
        case (.thinking(let queued)?, .thinking(let text)):
            waiting[waiting.count - 1] = .thinking(queued + text)
        default:
            waiting.append(segment)
        }
    }

    /// Through this type's `closeOpenBlock`, so a tool call it closes is marked closed.
    private mutating func stream(_ text: String, as kind: BlockKind, into output: inout [AnthropicStreamEvent]) {
        if emitter.open?.kind != kind { closeOpenBlock(into: &output) }
        emitter.stream(text, as: kind, into: &output)
    }

    private mutating func closeOpenBlock(into output: inout [AnthropicStreamEvent]) {
        if case .tool(let callIndex)? = emitter.closeOpenBlock(into: &output) {
            toolCalls[callIndex]?.status = .closed
        }
    }
}

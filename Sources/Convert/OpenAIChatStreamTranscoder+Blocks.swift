import Wire

/// Content blocks: which segment holds the one open block, what waits, and
/// the start / delta / stop events.
extension OpenAIChatStreamTranscoder {
    /// Name given to a tool call whose name never arrived, so the client
    /// reports an unknown tool to the model instead of losing the call.
    static let unnamedToolName = "unnamed_tool_call"

    /// Text or thinking: streamed into the open block of its kind, or a new
    /// block when nothing is waiting, else queued behind what waits.
    mutating func receive(_ segment: Segment, into output: inout [JSONValue]) {
        let kind: BlockKind
        let text: String
        switch segment {
        case .text(let value): (kind, text) = (.text, value)
        case .thinking(let value): (kind, text) = (.thinking, value)
        case .tool: return
        }
        if waiting.isEmpty, let open, open.kind == kind {
            emitDelta(text, kind: kind, index: open.index, into: &output)
        } else if waiting.isEmpty, openBlockCanClose {
            closeOpenBlock(into: &output)
            startBlock(kind, into: &output)
            emitDelta(text, kind: kind, index: nextBlockIndex - 1, into: &output)
        } else {
            enqueue(segment)
        }
    }

    /// Where calls go whose upstream reused an `index` for a new call.
    static let reusedIndexSlots = 1 << 32

    mutating func receiveToolCall(_ call: JSONValue, index: Int, into output: inout [JSONValue]) {
        let id = call["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        var slot = slotByIndex[index] ?? index
        // Some providers send each parallel call whole, all at index 0: a
        // different id at a known index is a new call, not more arguments.
        if let id, let known = toolCalls[slot]?.id, known != id {
            slot = Self.reusedIndexSlots + toolCalls.count
            slotByIndex[index] = slot
        }
        var state = toolCalls[slot] ?? ToolCall()
        if state.id == nil, let id { state.id = id }
        if state.name == nil, let name = call["function"]?["name"]?.stringValue, !name.isEmpty { state.name = name }
        let fragment: String
        switch call["function"]?["arguments"] {
        case .string(let text)?: fragment = text
        case .object(let object)?: fragment = JSONValue.object(object).serializedString()
        default: fragment = ""
        }
        state.arguments.consume(fragment)
        switch state.status {
        case .open:
            if !fragment.isEmpty, let open {
                output.append(Self.deltaEvent(index: open.index, delta: Self.jsonDelta(fragment)))
            }
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
    mutating func flushAll(includingUnnamed: Bool, into output: inout [JSONValue]) {
        drainWaiting(force: true, includingUnnamed: includingUnnamed, into: &output)
        if waiting.isEmpty { closeOpenBlock(into: &output) }
    }

    /// Starts waiting segments while the open block may close. `force`
    /// closes an open tool call even if its arguments are incomplete.
    private mutating func drainWaiting(force: Bool, includingUnnamed: Bool, into output: inout [JSONValue]) {
        while let head = waiting.first {
            if open != nil && !force && !openBlockCanClose { return }
            switch head {
            case .text(let text), .thinking(let text):
                let kind: BlockKind = if case .text = head { .text } else { .thinking }
                if let open, open.kind == kind {
                    emitDelta(text, kind: kind, index: open.index, into: &output)
                } else {
                    closeOpenBlock(into: &output)
                    startBlock(kind, into: &output)
                    emitDelta(text, kind: kind, index: nextBlockIndex - 1, into: &output)
                }
            case .tool(let callIndex):
                guard var state = toolCalls[callIndex], state.name != nil || includingUnnamed else { return }
                closeOpenBlock(into: &output)
                startBlock(.tool(callIndex), into: &output)
                state = toolCalls[callIndex] ?? state
                if !state.buffered.isEmpty {
                    output.append(Self.deltaEvent(index: nextBlockIndex - 1, delta: Self.jsonDelta(state.buffered)))
                    state.buffered = ""
                }
                toolCalls[callIndex] = state
            }
            waiting.removeFirst()
        }
    }

    /// Text and thinking can always be closed; a tool call only once its
    /// arguments form a complete JSON value.
    private var openBlockCanClose: Bool {
        guard let open else { return true }
        guard case .tool(let callIndex) = open.kind else { return true }
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

    private mutating func startBlock(_ kind: BlockKind, into output: inout [JSONValue]) {
        let block: JSONValue
        switch kind {
        case .text:
            block = ["type": "text", "text": ""]
        case .thinking:
            block = ["type": "thinking", "thinking": "", "signature": ""]
        case .tool(let callIndex):
            var state = toolCalls[callIndex] ?? ToolCall()
            state.status = .open
            toolCalls[callIndex] = state
            startedToolUse = true
            block = [
                "type": "tool_use", "id": .string(state.id ?? "toolu_\(messageID)_\(callIndex)"),
                "name": .string(state.name ?? Self.unnamedToolName), "input": [:],
            ]
        }
        output.append(["type": "content_block_start", "index": .int(Int64(nextBlockIndex)), "content_block": block])
        open = (kind, nextBlockIndex)
        nextBlockIndex += 1
    }

    private mutating func closeOpenBlock(into output: inout [JSONValue]) {
        guard let open else { return }
        switch open.kind {
        case .thinking:
            if let signature = thinkingSignature {
                output.append(
                    Self.deltaEvent(
                        index: open.index, delta: ["type": "signature_delta", "signature": .string(signature)]))
                thinkingSignature = nil
            }
        case .tool(let callIndex):
            toolCalls[callIndex]?.status = .closed
        case .text:
            break
        }
        output.append(["type": "content_block_stop", "index": .int(Int64(open.index))])
        self.open = nil
    }

    private func emitDelta(_ text: String, kind: BlockKind, index: Int, into output: inout [JSONValue]) {
        let delta: JSONValue =
            kind == .thinking
            ? ["type": "thinking_delta", "thinking": .string(text)]
            : ["type": "text_delta", "text": .string(text)]
        output.append(Self.deltaEvent(index: index, delta: delta))
    }

    private static func jsonDelta(_ fragment: String) -> JSONValue {
        ["type": "input_json_delta", "partial_json": .string(fragment)]
    }

    private static func deltaEvent(index: Int, delta: JSONValue) -> JSONValue {
        ["type": "content_block_delta", "index": .int(Int64(index)), "delta": delta]
    }
}

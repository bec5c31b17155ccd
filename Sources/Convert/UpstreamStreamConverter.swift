import SSE
import Wire

/// Raw upstream bytes (as the network gave them) -> the SSE frames the
/// client gets, in the client's dialect. Wraps SSEParser, the upstream
/// dialect's pure transcoder (bytes -> pivot events) and the client
/// dialect's encoder (pivot events -> frames). The proxy and `log-replay
/// verify` both use exactly this, so a replay reproduces the proxy byte for
/// byte.
///
/// An Anthropic upstream's events are relayed to an Anthropic client as
/// they came (``AnthropicStreamRelay``); for any other client they are read
/// into pivot events first.
public struct UpstreamStreamConverter: Sendable {
    private enum Transcoder: Sendable {
        case payloads(any UpstreamPayloadTranscoder)
        case anthropic(AnthropicStreamRelay)
        /// A client of the upstream's own (non-Anthropic) dialect: frames go
        /// out as they came, through ``passthroughRelay``.
        case passthrough
        /// An upstream called without streaming: its whole answer becomes
        /// the client's stream at the end.
        case wholeAnswer(WholeAnswerStream)
        /// Held only while a transcoder is taken out to be mutated, so it is
        /// uniquely referenced and its buffers are not copied on write.
        case vacant
    }

    private var parser = SSEParser()
    private var transcoder: Transcoder
    /// Nil for an Anthropic client: pivot events are written as they are.
    private var encoder: (any ClientStreamEncoder)?
    /// `encoder == nil`, kept: asked for every event, the comparison copied
    /// the optional existential out and back (~150 instructions a time).
    let writesAnthropic: Bool
    /// Checks converted tool calls' arguments; nil where the frames reach
    /// the client as they came (an Anthropic upstream's to an Anthropic
    /// client, or a pass-through). An Anthropic upstream's calls are checked
    /// too when they are converted for another dialect: a compatible server
    /// can send arguments that are not JSON, and the client's stream must
    /// still be valid.
    private var toolGuard: ToolArgumentGuard?
    let upstreamName: String
    /// A pass-through's state, for ``Transcoder/passthrough``. Kept out of
    /// the enum: taken out of it and put back for every event and read
    /// (hasEnded, isComplete: each chunk), the relay's copies cost a
    /// passed-through stream 2% of its instructions.
    private var passthroughRelay: PassthroughStreamRelay?
    /// The converter's own notes, for ``takeDiagnostics()``: what it did not
    /// relay after the client's stream was complete.
    private var notes: [ConversionDiagnostic] = []
    /// What the upstream sent after the client's stream had ended, on any
    /// route, noted at the finish (one note, however many there were).
    private var eventsAfterEnd = EventsAfterEnd()
    /// The client's stop sequences the upstream was not given all of,
    /// applied to the pivot events on their way to the client; nil (one
    /// check an event) for every other request.
    private var stopCut: StopSequenceCut?
    /// Whether the client asked for thinking to be hidden
    /// (``HiddenThinking``), which a converted route's upstream may not do.
    private var hiddenThinking: HiddenThinking?
    /// The request's tool names as its upstream was sent them
    /// (``UpstreamToolNames``), asked for when the first call starts, so a
    /// call of a renamed tool reaches the client under the client's name;
    /// nil (names as they came) for a converter made without a request.
    var toolNamesSource: (@Sendable () -> UpstreamToolNames)?
    private var toolNames: UpstreamToolNames?

    /// The first error the client's stream reports, as it arose: an
    /// upstream's error event, data that is not JSON, an early end, or the
    /// failure handed to ``finish(error:)``.
    public internal(set) var reportedError: APIError?

    /// Whether anything came after the client's stream had ended (after
    /// `[DONE]`, `message_stop`, a terminal `response.*` event, or an
    /// error) or was complete (after a Gemini `finishReason`: Gemini sends
    /// no terminator, so its stream ends only with the connection): an
    /// event not relayed, or lines that made none (a bare `{"error":...}`,
    /// a comment). No one reads them for an error, and they may quote the
    /// key the proxy sent, so the chunk that held them is recorded
    /// scrubbed. The chunk that ends a stream, and nothing after it, is
    /// recorded as every other chunk is: scrubbing it cost a recorded
    /// stream ~30 K instructions.
    public var receivedAfterEnd: Bool {
        eventsAfterEnd.droppedAny || (parser.hasLinesSinceLastEvent && isComplete)
    }

    /// - Parameters:
    ///   - encoder: the client dialect's encoder; nil (the default) for an
    ///     Anthropic client.
    ///   - tools: the client request's `tools` in Anthropic form, asked for
    ///     when the first tool call starts, to check its arguments against
    ///     the tool's `input_schema` (none: only that they are a JSON object).
    ///   - stopSequences: stop sequences the proxy applies itself, the
    ///     upstream not having been given them all (see
    ///     ``ClientRequest/stopSequencesAppliedByProxy(route:)``); the
    ///     answer ends at the first, and ``endedAtStopSequence`` tells the
    ///     caller to read no more.
    ///   - hidesThinking: the client asked for thinking to be hidden
    ///     (``HiddenThinking``): its text is left out, its signatures kept.
    public init(
        route: RouteOptions, requestedModel: String, encoder: (any ClientStreamEncoder)? = nil,
        tools: @escaping @Sendable () -> JSONValue? = { nil }, stopSequences: [String]? = nil,
        hidesThinking: Bool = false
    ) {
        upstreamName = route.modelID
        self.encoder = encoder
        writesAnthropic = encoder == nil
        stopCut = stopSequences.map(StopSequenceCut.init(sequences:))
        hiddenThinking = hidesThinking ? HiddenThinking() : nil
        if route.upstreamDialect != .anthropic || encoder != nil {
            toolGuard = ToolArgumentGuard(upstreamName: route.modelID, tools: tools)
        }
        switch route.upstreamDialect {
        case .openai:
            transcoder = .payloads(
                OpenAIChatStreamTranscoder(
                    requestedModel: requestedModel, upstreamName: route.modelID, idSeed: route.idSeed))
        case .gemini:
            transcoder = .payloads(
                GeminiStreamTranscoder(
                    requestedModel: requestedModel, upstreamName: route.modelID, idSeed: route.idSeed))
        case .anthropic:
            transcoder = .anthropic(
                AnthropicStreamRelay(
                    requestedModel: requestedModel, upstreamName: route.modelID, sendsData: encoder == nil))
        case .openaiResponses:
            transcoder = .payloads(
                OpenAIResponsesStreamTranscoder(
                    requestedModel: requestedModel, upstreamName: route.modelID, idSeed: route.idSeed))
        }
    }

    /// For a client that speaks the route's own dialect: each upstream
    /// frame is relayed as it came (parsed and written again, so a frame cut
    /// across chunks goes out whole); an error the upstream reports in its
    /// stream is noted as ``reportedError``. Nil for an Anthropic route,
    /// whose stream goes through the Anthropic relay even for an Anthropic
    /// client (see ``PassthroughDialect``).
    public init?(passthroughFor route: RouteOptions) {
        guard let dialect = PassthroughDialect(route.upstreamDialect) else { return nil }
        upstreamName = route.modelID
        encoder = nil
        writesAnthropic = true
        transcoder = .passthrough
        passthroughRelay = PassthroughStreamRelay(dialect: dialect)
    }

    /// For a route whose upstream is called without streaming (`can_stream:
    /// false`), or that answered a streaming request with one JSON body
    /// (``answersWhole(contentType:dialect:)``): the upstream's body is
    /// collected, and ``finish(error:)`` writes the whole answer as the
    /// client's stream.
    /// - Parameters:
    ///   - encoder: the client dialect's encoder; nil for an Anthropic client.
    ///   - stopSequences, hidesThinking: as for
    ///     ``init(route:requestedModel:encoder:tools:stopSequences:hidesThinking:)``.
    public init(
        wholeMessageFor route: RouteOptions, requestedModel: String, encoder: (any ClientStreamEncoder)?,
        stopSequences: [String]? = nil, hidesThinking: Bool = false
    ) {
        upstreamName = route.modelID
        self.encoder = encoder
        writesAnthropic = encoder == nil
        stopCut = stopSequences.map(StopSequenceCut.init(sequences:))
        hiddenThinking = hidesThinking ? HiddenThinking() : nil
        transcoder = .wholeAnswer(WholeAnswerStream(route: route, requestedModel: requestedModel))
    }

    /// The frames the client gets for `bytes`, the upstream's next chunk, as events.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        var frames = SSEFrames()
        receive(bytes, into: &frames)
        return frames.events
    }

    /// Appends the frames the client gets for `bytes`, the upstream's next
    /// chunk, to `output`: what the proxy writes as it is.
    public mutating func receive(_ bytes: some Sequence<UInt8>, into output: inout SSEFrames) {
        if case .wholeAnswer(var whole) = transcoder {
            transcoder = .vacant
            whole.append(bytes)
            transcoder = .wholeAnswer(whole)
            return
        }
        // A chunk often completes several events, each one or more frames,
        // and a converted stream's frames are larger than the upstream's:
        // growing the buffers from empty reallocated them several times.
        output.reserveCapacity(bytes: 3 * bytes.underestimatedCount + 1024, frames: 8)
        for event in parser.parseRaw(bytes) { handle(event, into: &output) }
    }

    /// The upstream ended. `error` non-nil when the connection failed mid-stream: an `event: error` frame
    /// is emitted. An upstream that ends without finishing the message is also an error frame.
    public mutating func finish(error: APIError?) -> [SSEEvent] {
        var frames = SSEFrames()
        finish(error: error, into: &frames)
        return frames.events
    }

    /// ``finish(error:)``, its frames appended to `output`.
    public mutating func finish(error: APIError?, into output: inout SSEFrames) {
        if let note = eventsAfterEnd.takeNote() { notes.append(note) }
        // What the client's encoder left out, the last events included.
        defer { if !writesAnthropic { notes += encoder!.takeDiagnostics() } }
        // The proxy ended the answer at a stop sequence: what the upstream
        // still had to say (or its failure) is no one's; what the
        // transcoder noted before then still counts.
        guard !endedAtStopSequence else {
            if case .payloads(var machine) = transcoder {
                transcoder = .vacant
                notes += machine.takeDiagnostics()
                transcoder = .payloads(machine)
            }
            return
        }
        var error = error
        // Once the client's stream has ended, what the upstream sends after
        // it is not read; but after a Responses error its `response.failed`
        // is still due, and may be this last event with no blank line.
        if error == nil, !isWholeAnswer, !hasEnded || isFailingPassthrough {
            let complete = isComplete
            for event in parser.finishRaw() {
                // The last event, with no blank line after it: whole if its
                // data is (an upstream may close right after a final error
                // chunk), else the stream was cut inside it. A stream whose
                // frames go out as they came must not send it (a client's
                // parser fails on it, not on the proxy's error); a converted
                // one reads it and reports what it cannot read. Once the
                // client's stream is complete, such a piece is no one's.
                if relaysFramesAsTheyCame || complete, !Self.isWholeEventData(event.data) {
                    if complete {
                        // Its bytes are not quoted (they may quote the key); its chunk is recorded scrubbed.
                        notes.append(
                            ConversionDiagnostic(
                                severity: .info, path: "",
                                message:
                                    "after the stream's end: it stopped inside an event (\(event.data.count) bytes), "
                                    + "not relayed"))
                    } else {
                        error = .streamEndedEarly(
                            upstream: upstreamName, before: "the end of the event it was sending")
                    }
                    break
                }
                handle(event, into: &output)
            }
        }
        switch transcoder {
        case .payloads(var machine):
            transcoder = .vacant
            write(machine.finish(error: error), into: &output)
            notes += machine.takeDiagnostics()
            transcoder = .payloads(machine)
            if let held = toolGuard?.finish() { for event in held { emit(event, into: &output) } }
        case .anthropic(var relay):
            transcoder = .vacant
            if let frame = relay.finish(error: error) { relayed(frame, from: &relay, into: &output) }
            transcoder = .anthropic(relay)
            if let held = toolGuard?.finish() { for event in held { emit(event, into: &output) } }
        case .passthrough:
            passthroughRelay!.finish(error: error, upstreamName: upstreamName, into: &output)
            if reportedError == nil { reportedError = passthroughRelay!.error }
        case .wholeAnswer(var whole):
            transcoder = .vacant
            for event in whole.finish(error: error) { emit(restoringToolName(event), into: &output) }
            transcoder = .wholeAnswer(whole)
        case .vacant:
            break
        }
    }

    /// Whether the client's stream is complete, finished or ended in an
    /// error: a transport failure after it is not sent to the client (nor
    /// need it count as the exchange's failure).
    public var hasEnded: Bool {
        if endedAtStopSequence { return true }
        return switch transcoder {
        case .payloads(let machine): machine.isFinished
        case .anthropic(let relay): relay.hasEnded
        case .passthrough: passthroughRelay!.hasEnded
        case .wholeAnswer, .vacant: false
        }
    }

    /// Whether the bytes received so far end inside an event not yet
    /// complete, whose frames (an error, perhaps) are still to come; for an
    /// answer that comes whole, always: it is read only at the end.
    public var endsInsideEvent: Bool {
        isWholeAnswer || parser.hasPendingData
    }

    /// Whether the client's stream needs nothing more from the upstream: it
    /// has ended, or a Gemini upstream sent its `finishReason`. Gemini sends
    /// no terminator, and its streams end with that chunk (and its last
    /// `usageMetadata`); what may follow it, a usage-only chunk, is still
    /// relayed and counted. A transport failure from here on is not the
    /// client's concern: ``finish(error:)`` with no error closes the stream
    /// as the upstream's own end would, and drops (with a note) an event
    /// the stream stopped inside.
    public var isComplete: Bool {
        if endedAtStopSequence { return true }
        return switch transcoder {
        case .payloads(let machine): machine.isComplete
        case .passthrough: passthroughRelay!.isComplete
        case .anthropic, .wholeAnswer, .vacant: hasEnded
        }
    }

    /// Whether the proxy ended the client's answer at one of the stop
    /// sequences it applies itself: the upstream is still writing past it,
    /// so the caller reads no more and drops the upstream request (its
    /// connection, mid-answer, cannot be used again).
    public var endedAtStopSequence: Bool {
        stopCut?.hasEnded == true
    }

    /// Whether a passed-through Responses stream reported an error and
    /// its `response.failed` is still due.
    private var isFailingPassthrough: Bool {
        passthroughRelay?.progress == .failing
    }

    private var isWholeAnswer: Bool {
        if case .wholeAnswer = transcoder { return true }
        return false
    }

    /// Whether the upstream's frames reach the client as they came: a
    /// pass-through, or an Anthropic upstream's to an Anthropic client.
    private var relaysFramesAsTheyCame: Bool {
        switch transcoder {
        case .passthrough: true
        case .anthropic: writesAnthropic
        case .payloads, .wholeAnswer, .vacant: false
        }
    }

    /// Repairs and rejections of tool arguments, what was not relayed
    /// after the client's stream was complete, and (at the finish) what the
    /// upstream's transcoder left out, since the last call, for the log and
    /// the cassette.
    public mutating func takeDiagnostics() -> [ConversionDiagnostic] {
        if case .wholeAnswer(var whole) = transcoder {
            transcoder = .vacant
            defer {
                transcoder = .wholeAnswer(whole)
                notes = []
            }
            return whole.takeDiagnostics() + notes
        }
        // Asked after every chunk that completes an event: almost always empty.
        let fromGuard = toolGuard?.hasDiagnostics == true
        guard fromGuard || !notes.isEmpty else { return [] }
        var diagnostics = notes
        notes = []
        if fromGuard { diagnostics += toolGuard!.takeDiagnostics() }
        return diagnostics
    }

    /// Anthropic usage so far (input_tokens, output_tokens, cache_read_input_tokens...);
    /// for an answer the proxy ended at a stop sequence, the usage the client
    /// was told then.
    public var usage: JSONValue? {
        if let atCut = stopCut?.usageAtCut { return .object(atCut) }
        return switch transcoder {
        case .payloads(let machine): machine.usage.map(JSONValue.object)
        case .anthropic(let relay): relay.usage.map(JSONValue.object)
        case .passthrough: passthroughRelay!.usage.map(JSONValue.object)
        case .wholeAnswer(let whole): whole.usage.map(JSONValue.object)
        case .vacant: nil
        }
    }

    private mutating func handle(_ event: SSERawEvent, into output: inout SSEFrames) {
        switch transcoder {
        case .payloads(var machine):
            // The transcoder would read nothing more; they are counted, as
            // a pass-through's and the relay's are.
            guard !machine.isFinished else { return eventsAfterEnd.drop(event) }
            transcoder = .vacant
            write(Self.feed(event, to: &machine, upstreamName: upstreamName), into: &output)
            transcoder = .payloads(machine)
        case .anthropic(var relay):
            transcoder = .vacant
            if relay.hasEnded {
                eventsAfterEnd.drop(event)
            } else if let frame = relay.receive(event) {
                relayed(frame, from: &relay, payload: relay.lastPayload, into: &output)
            }
            transcoder = .anthropic(relay)
        case .wholeAnswer:
            break
        case .passthrough:
            // After its last frame the client's stream is complete; after a
            // Responses error only its `response.failed` is still due.
            switch passthroughRelay!.receive(event, upstreamName: upstreamName, into: &output) {
            case .relayed: break
            case .notRelayed: eventsAfterEnd.drop(event)
            case .reportedError: if reportedError == nil { reportedError = passthroughRelay!.error }
            }
        case .vacant:
            break
        }
    }

    private mutating func write(_ events: [AnthropicStreamEvent], into output: inout SSEFrames) {
        for event in events { write(event, into: &output) }
    }

    /// One event, past the tool-call guard. Not an array of one: an Anthropic
    /// upstream's events come one at a time, and an array each was an
    /// allocation per frame.
    mutating func write(_ event: AnthropicStreamEvent, into output: inout SSEFrames) {
        // Before the guard, which finds the call's schema by the client's name.
        let event = restoringToolName(event)
        switch toolGuard?.check(event) ?? .pass {
        case .pass: emit(event, into: &output)
        case .drop: break
        case .replace(let replacements): for replacement in replacements { emit(replacement, into: &output) }
        }
    }

    /// A tool call's start under the client's name (``toolNamesSource``).
    private mutating func restoringToolName(_ event: AnthropicStreamEvent) -> AnthropicStreamEvent {
        guard let source = toolNamesSource, case .contentBlockStart(_, .toolUse) = event else { return event }
        if toolNames == nil { toolNames = source() }
        return toolNames!.restored(event)
    }

    private mutating func emit(_ event: AnthropicStreamEvent, into output: inout SSEFrames) {
        guard stopCut == nil else {
            let wasEnded = stopCut!.hasEnded
            var events: [AnthropicStreamEvent] = []
            stopCut!.receive(event, into: &events)
            for event in events { encode(event, into: &output) }
            // Said once, so the log and the cassette tell why the upstream's answer was not read to its end.
            if !wasEnded, stopCut!.hasEnded {
                notes.append(
                    .info(
                        "/stop_sequences",
                        "the proxy ended the answer at a stop sequence the upstream was not given all of; "
                            + "the rest of the upstream's answer is not read"))
            }
            return
        }
        encode(event, into: &output)
    }

    /// One event in the client's dialect.
    private mutating func encode(_ event: AnthropicStreamEvent, into output: inout SSEFrames) {
        guard hiddenThinking != nil else { return encodeShown(event, into: &output) }
        var shown: [AnthropicStreamEvent] = []
        hiddenThinking!.shown(event, into: &shown)
        for event in shown { encodeShown(event, into: &output) }
    }

    /// ``encode(_:into:)`` once the event is as the client may see it.
    private mutating func encodeShown(_ event: AnthropicStreamEvent, into output: inout SSEFrames) {
        if reportedError == nil, case .error(let error) = event { reportedError = error }
        if !writesAnthropic {
            encoder!.encode(event, into: &output)
        } else {
            event.appendFrame(to: &output)
        }
    }
}

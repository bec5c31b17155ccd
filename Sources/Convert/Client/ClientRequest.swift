import Wire

/// A client's request in its own dialect, and every conversion its exchange
/// needs: the upstream body for a route, the client's answer from the
/// upstream's, and the stream converter. The proxy and `log-replay verify`
/// both go through it, so a replay converts exactly as the proxy did.
///
/// A route whose format is the client's dialect is a pass-through: the body
/// goes up with only the model, the output cap, temperature and `extra_body`
/// changed (and, to Gemini, no thought signature another provider wrote:
/// ``GeminiForeignSignatures``), and the answer comes back as the upstream wrote it (an Anthropic
/// answer with the client's model name, as before). Any other route goes
/// through the pivot: client dialect -> Anthropic request -> route format,
/// and back.
public struct ClientRequest: Sendable {
    public let endpoint: ClientEndpoint
    public let body: JSONValue
    /// The model the client asked for: the body's `model`, or Gemini's path.
    public let model: String
    public let stream: Bool
    /// The pivot, read once on a route that reshapes a format (``pivotRequest(for:)``).
    private let memoizedPivot = MemoizedPivot()

    /// Reads the model and streaming; an Anthropic request is validated
    /// whole here, as before; other dialects' bodies are checked when they
    /// are converted.
    public init(endpoint: ClientEndpoint, body: JSONValue) throws(APIError) {
        guard case .object(let object) = body else {
            throw .invalidRequest("the request body must be a JSON object")
        }
        try Self.refuseRepeatedMembers(object)
        if endpoint.dialect == .anthropic, endpoint.operation == .generate {
            try RequestConverter.validate(anthropicRequest: body)
        }
        self.endpoint = endpoint
        self.body = body
        if let pathModel = endpoint.pathModel {
            model = pathModel
        } else if let model = body["model"]?.stringValue, !model.isEmpty {
            self.model = model
        } else {
            throw .invalidRequest("model: field required (a string)")
        }
        stream = endpoint.pathStream ?? (body["stream"]?.boolValue == true)
    }

    public var dialect: Dialect { endpoint.dialect }

    /// A member given twice, at the top or in a top-level object (where the
    /// model, the stream flag and the settings a route caps or sets live),
    /// is refused: the proxy reads the first, most upstreams the last, so
    /// `{"model": "allowed", "model": "other"}` reached another model on the
    /// route's key, and a doubled `stream` left the two sides disagreeing.
    private static func refuseRepeatedMembers(_ body: JSONObject) throws(APIError) {
        var path: String?
        if let key = body.repeatedKey {
            path = "/" + key
        } else {
            for member in body {
                guard case .object(let nested) = member.value, let key = nested.repeatedKey else { continue }
                path = "/\(member.key)/\(key)"
                break
            }
        }
        guard let path else { return }
        throw .invalidRequest(
            "\(path): the member is given twice; JSON readers disagree on which one counts, so give it once")
    }

    /// True when the route speaks the client's dialect. A route with rules
    /// takes other dialects' requests through the pivot, where the rules
    /// apply (they are written against Anthropic Messages); so does a
    /// route that reshapes structured output (``reshapesStructuredOutput(_:)``).
    public func isPassthrough(_ route: RouteOptions) -> Bool {
        route.upstreamDialect == dialect
            && (dialect == .anthropic || (route.rules == nil && !reshapesStructuredOutput(route)))
    }

    /// Whether the route names a policy that changes a client's own format
    /// (`json_object`, `drop`) and this request carries one: a DeepSeek
    /// route's Chat client asks in the route's own dialect for the
    /// `json_schema` it refuses. Other requests on it still go as sent.
    /// A client's own `json_object` on a `json_object` route is already what
    /// the route sends: it stays passed through, with what the pivot does
    /// not model (`seed`, `logprobs`...).
    func reshapesStructuredOutput(_ route: RouteOptions) -> Bool {
        guard readsFormatFirst(route), case .object(let pivot)? = try? pivotRequest(for: route).body,
            let format = StructuredOutput.pivotFormat(of: pivot)
        else { return false }
        return route.structuredOutput == .drop || format["type"] != "json_object"
    }

    /// Whether `route` reads this request into the pivot to find its format
    /// before it knows whether to convert it: its policy may reshape one,
    /// and the request may carry one.
    private func readsFormatFirst(_ route: RouteOptions) -> Bool {
        (route.structuredOutput == .jsonObject || route.structuredOutput == .drop) && mayCarryFormat
    }

    /// ``pivotRequest()``, read once for the exchange where `route` reads it
    /// several times a request: for the request's format first
    /// (``reshapesStructuredOutput(_:)``), or for the stop sequences its rules
    /// set (``stopSequencesAppliedByProxy(route:)``); read anew (and not
    /// kept) elsewhere, where it is read at most once on the way up.
    private func pivotRequest(for route: RouteOptions) throws(APIError) -> ConvertedRequest {
        guard readsFormatFirst(route) || rulesMayChangeStopSequences(route) else { return try pivotRequest() }
        return try memoizedPivot.pivot { () throws(APIError) in try pivotRequest() }
    }

    /// Whether one of `route`'s rules may set or remove `/stop_sequences`.
    private func rulesMayChangeStopSequences(_ route: RouteOptions) -> Bool {
        route.rules?.contains { $0.mayChange(member: "stop_sequences") } ?? false
    }

    /// Whether the body has the member a format would be read from: one
    /// lookup, where reading the whole request into the pivot (several times
    /// a request: every caller of ``isPassthrough(_:)``) cost every request
    /// on such a route, format or not.
    private var mayCarryFormat: Bool {
        switch dialect {
        case .anthropic: body["output_config"]?["format"] != nil || body["output_format"] != nil
        case .openai: body["response_format"] != nil
        case .openaiResponses: body["text"]?["format"] != nil
        case .gemini: body["generationConfig"] != nil || body["generation_config"] != nil
        }
    }

    /// The client's request as an Anthropic Messages request, with what
    /// reading it dropped.
    public func pivotRequest() throws(APIError) -> ConvertedRequest {
        try ClientCodec.pivotRequest(body, dialect: dialect, model: model, stream: stream)
    }

    /// The body for the route's upstream, with every diagnostic on the way.
    /// With a context window on the route, the output cap is fitted to it
    /// first, or the request refused (see ``ContextBudget``); then the
    /// route's request settings are applied (see ``applyRouteSettings``),
    /// and structured output fitted to the upstream (``StructuredOutputFit``).
    public func upstreamBody(route configured: RouteOptions) throws(APIError) -> ConvertedRequest {
        if isPassthrough(configured), dialect != .anthropic, case .object(var object) = body {
            // Read into the pivot only to estimate the input, and only when a window asks for it.
            var (route, diagnostics) =
                configured.contextWindow == nil
                ? (configured, [])
                : try ContextBudget.fit(anthropicRequest: try pivotRequest(for: configured).body, route: configured)
            Self.applyRouteSettings(to: &object, dialect: dialect, route: &route, diagnostics: &diagnostics)
            if dialect == .gemini { diagnostics += GeminiForeignSignatures.drop(from: &object) }
            if dialect == .openaiResponses { diagnostics += OpenAIResponsesForeignReasoning.drop(from: &object) }
            if dialect == .openai, let server = route.chatServer {
                diagnostics += server.fitPassedThrough(&object)
            } else {
                diagnostics += UpstreamToolCallID.fitPassedThrough(&object, dialect: dialect)
            }
            var converted = RequestConverter.passthrough(object, dialect: dialect, route: route)
            converted.diagnostics = diagnostics + converted.diagnostics
            return converted
        }
        var pivot = try pivotRequest(for: configured)
        // From the list as the client sent it, as the answer's way back reads it (``upstreamToolNames(route:)``).
        let toolNames = upstreamToolNames(route: configured, tools: pivot.body["tools"])
        if configured.upstreamDialect == .anthropic {
            // A converted client's blank user text too: its own API took it.
            BlankTurnText.drop(from: &pivot, userTurns: dialect != .anthropic)
            let droppedThinking = UnverifiableThinking.drop(from: &pivot)
            // Other clients' requests are fitted whole below; an Anthropic
            // client's only where its tool turn is one Anthropic refuses.
            if dialect == .anthropic { AnthropicUpstreamFit.fitToolTurn(&pivot, afterDrop: droppedThinking) }
        }
        if let rules = configured.rules {
            pivot.diagnostics += RequestRule.apply(rules, to: &pivot.body)
        }
        // Before the window: a schema moved into the system prompt counts
        // against it. An Anthropic client's format to Anthropic is its own,
        // as sent, unless the route names a policy that changes it.
        if case .object(var object) = pivot.body,
            dialect != .anthropic || configured.upstreamDialect != .anthropic || reshapesStructuredOutput(configured)
        {
            pivot.diagnostics += try StructuredOutputFit.fit(&object, route: configured)
            pivot.body = .object(object)
        }
        // After the rules: a dropped tool no longer counts against the window.
        var (route, diagnostics) = try ContextBudget.fit(anthropicRequest: pivot.body, route: configured)
        if case .object(var object) = pivot.body {
            Self.applyRouteSettings(to: &object, dialect: .anthropic, route: &route, diagnostics: &diagnostics)
            // After the rules, with the map of the client's own list (which the answer's names are
            // restored from): a tool a rule adds keeps its name, and must be named as the upstream takes it.
            diagnostics += toolNames.fit(&object)
            pivot.body = .object(object)
        }
        var converted = try RequestConverter.convert(anthropicRequest: pivot.body, route: route)
        converted.diagnostics = pivot.diagnostics + diagnostics + converted.diagnostics
        // Last, on what goes out: the route's own settings (its cap, its
        // temperature) count too.
        if dialect != .anthropic, route.upstreamDialect == .anthropic {
            converted = AnthropicUpstreamFit.fitted(converted)
        }
        return converted
    }

    /// The tool names the route's upstream is sent (``UpstreamToolNames``):
    /// unchanged on a pass-through, where the client speaks the upstream's
    /// own API; else fitted to the upstream's rule, from the request's tool
    /// list before the route's rules, the same list on the way up and back.
    func upstreamToolNames(route: RouteOptions) -> UpstreamToolNames {
        guard !isPassthrough(route) else { return .unchanged }
        if dialect == .anthropic { return upstreamToolNames(route: route, tools: body["tools"]) }
        // Read into the pivot (a whole decode of a long history, at each
        // answer that calls a tool) only when a name of the client's own
        // list needs fitting, as nearly none does.
        guard clientToolNames.contains(where: { !UpstreamToolName.isValid($0, for: route.upstreamDialect) }) else {
            return upstreamToolNames(route: route, tools: nil)
        }
        return upstreamToolNames(route: route, tools: (try? pivotRequest(for: route))?.body["tools"])
    }

    /// The names of the tools in the client's own request, as its dialect
    /// lists them (Chat's functions and legacy `functions`, Responses'
    /// function tools, Gemini's declarations in either spelling).
    private var clientToolNames: [String] {
        func names(_ list: JSONValue?, _ key: String, under nested: String? = nil) -> [String] {
            (list?.arrayValue ?? []).compactMap { item in
                let holder = nested.map { item[$0] } ?? item
                return holder?[key]?.stringValue
            }
        }
        switch dialect {
        case .openai: return names(body["tools"], "name", under: "function") + names(body["functions"], "name")
        case .openaiResponses: return names(body["tools"], "name")
        case .gemini:
            return (body["tools"]?.arrayValue ?? []).flatMap {
                names($0["functionDeclarations"], "name") + names($0["function_declarations"], "name")
            }
        case .anthropic: return names(body["tools"], "name")
        }
    }

    private func upstreamToolNames(route: RouteOptions, tools: JSONValue?) -> UpstreamToolNames {
        isPassthrough(route) ? .unchanged : UpstreamToolNames(tools: tools, upstream: route.upstreamDialect)
    }

    /// What a route changes in the request (in `dialect`) before it is
    /// converted or passed on: `reasoning_effort: minimal` takes the
    /// thinking settings out and sends no effort; an upstream that cannot
    /// stream (`can_stream: false`) is asked for the whole answer.
    private static func applyRouteSettings(
        to request: inout JSONObject, dialect: Dialect, route: inout RouteOptions,
        diagnostics: inout [ConversionDiagnostic]
    ) {
        if MinimalReasoning.applies(to: route) {
            let (stripped, removed) = MinimalReasoning.stripped(request, dialect: dialect)
            request = stripped
            diagnostics += removed
            route.reasoningEffort = nil
        }
        if !route.upstreamStreams, request["stream"]?.boolValue == true {
            request["stream"] = .bool(false)
            request.removeValue(forKey: "stream_options")
            diagnostics.append(
                .info(
                    "/stream",
                    "the route's upstream is called without streaming (can_stream: false); the client's stream "
                        + "is made from the whole answer"))
        }
    }

    /// The client's answer from the upstream's non-streamed success body.
    /// `createdAt` is when the request came, Unix seconds: OpenAI's answers
    /// carry it (`created`, `created_at`), and the converters read no clock.
    public func clientResponse(
        upstreamBody: JSONValue, route: RouteOptions, createdAt: Int64
    ) throws(APIError) -> ConvertedResponse {
        if isPassthrough(route), dialect != .anthropic {
            // A 200 whose body is an error is the upstream's error, as on a
            // converted route; the live path and `log-replay verify` agree.
            if case .object = upstreamBody {
                try ResponseConverter.requireSuccessObject(upstreamBody, route: route, dialect: dialect) { error in
                    // A Responses body carries much besides a failed call's `error`.
                    dialect == .openaiResponses ? ["error": error] : upstreamBody
                }
            }
            // A Gemini client of Code Assist gets the public API's answer.
            let body = dialect == .gemini ? CodeAssistEnvelope.unwrapped(upstreamBody) : upstreamBody
            return ConvertedResponse(
                body: body, diagnostics: [], usage: PassthroughUsage.anthropicUsage(in: body, dialect: dialect))
        }
        var converted = try ResponseConverter.convertWithDiagnostics(
            upstreamBody: upstreamBody, route: route, requestedModel: model)
        // The tool list is read only for an answer that calls a tool.
        if case .object(var message) = converted.body,
            message["content"]?.arrayValue?.contains(where: { $0["type"]?.stringValue == "tool_use" }) == true
        {
            upstreamToolNames(route: route).restore(in: &message)
            converted.body = .object(message)
        }
        if let stops = stopSequencesAppliedByProxy(route: route), case .object(var message) = converted.body {
            StopSequenceCut.cut(&message, at: stops)
            converted.body = .object(message)
        }
        if hidesThinking(route: route), case .object(var message) = converted.body {
            HiddenThinking.hide(in: &message)
            converted.body = .object(message)
        }
        if dialect == .openai, body.objectValue.map(OpenAIChatClientCodec.answersWithFunctionCall) == true {
            converted.diagnostics += OpenAIChatClientCodec.droppedLegacyCalls(in: converted.body)
        }
        // The usage stays the pivot's (Anthropic) one.
        converted.body = ClientCodec.response(
            converted.body, dialect: dialect, requestedModel: model, clientBody: body, createdAt: createdAt,
            reasoningTokens: converted.reasoningTokens)
        return converted
    }

    /// The client's answer straight from the upstream's success body, with
    /// no tree made, where the answer goes out as it came: what
    /// ``clientResponse(upstreamBody:route:createdAt:)`` gives, and its usage in
    /// Anthropic's shape.
    /// - When both speak Anthropic, the body with its `model` (whatever its
    ///   value) replaced by the one the client asked for (`renamed`; nil
    ///   when the body goes as it came, its model already that one or
    ///   absent).
    /// - A pass-through of OpenAI Chat or Responses: the body as it came.
    ///
    /// Nil for any other pair of dialects, and for a body that must be read
    /// as a tree (not JSON, not one object where a member is renamed, a
    /// repeated member read).
    public func answerAsItCame(
        upstreamBody: [UInt8], route: RouteOptions
    ) -> (renamed: [UInt8]?, usage: JSONObject?)? {
        if dialect == .anthropic, route.upstreamDialect == .anthropic {
            guard let members = AnthropicMessageMembers.read(answer: upstreamBody) else { return nil }
            guard let model = members.model, model.text != self.model else { return (nil, members.usage) }
            return (members.renaming(upstreamBody, to: self.model), members.usage)
        }
        guard isPassthrough(route), let usage = PassthroughUsage.read(answer: upstreamBody, dialect: dialect) else {
            return nil
        }
        return (nil, usage)
    }

    /// The converter for the upstream's stream, writing the client's frames
    /// and checking converted tool calls against this request's tools;
    /// `createdAt` as for ``clientResponse(upstreamBody:route:createdAt:)``.
    /// - Parameter answeredWhole: the upstream, asked to stream, answered
    ///   with one JSON object (``UpstreamStreamConverter/answersWhole(contentType:dialect:)``
    ///   and ``UpstreamStreamConverter/startsAnObject(_:)``): read whole.
    public func streamConverter(
        route: RouteOptions, createdAt: Int64, answeredWhole: Bool = false
    ) -> UpstreamStreamConverter {
        let encoder = ClientCodec.streamEncoder(
            dialect: dialect, requestedModel: model, clientBody: body, createdAt: createdAt)
        // The answer comes whole; through the pivot to the client's own stream encoder.
        // Read when the answer's first call starts, as the tools are.
        let toolNames: @Sendable () -> UpstreamToolNames = { [self] in upstreamToolNames(route: route) }
        if !route.upstreamStreams || answeredWhole {
            var converter = UpstreamStreamConverter(
                wholeMessageFor: route, requestedModel: model, encoder: encoder,
                stopSequences: stopSequencesAppliedByProxy(route: route), hidesThinking: hidesThinking(route: route))
            converter.toolNamesSource = toolNames
            return converter
        }
        // None for an Anthropic route: an Anthropic client's stream goes
        // through the relay, which gives it its model name.
        if isPassthrough(route), let passthrough = UpstreamStreamConverter(passthroughFor: route) {
            return passthrough
        }
        let tools: @Sendable () -> JSONValue?
        if dialect == .anthropic {
            tools = { [body] in body["tools"] }
        } else {
            tools = { [self] in (try? pivotRequest(for: route))?.body["tools"] }
        }
        var converter = UpstreamStreamConverter(
            route: route, requestedModel: model, encoder: encoder, tools: tools,
            stopSequences: stopSequencesAppliedByProxy(route: route), hidesThinking: hidesThinking(route: route))
        converter.toolNamesSource = toolNames
        return converter
    }

    /// Whether the proxy hides the answer's thinking text, as the client
    /// asked (``HiddenThinking``): on a converted route, whose upstream may
    /// not have been able to; the client's own provider, passed through,
    /// does it itself.
    public func hidesThinking(route: RouteOptions) -> Bool {
        // The cheap look first: on a route that reshapes structured output, telling a
        // pass-through reads the pivot.
        HiddenThinking.isAsked(by: body, dialect: dialect) && !isPassthrough(route)
    }

    /// The stop sequences the proxy applies to the answer itself, on a
    /// converted route whose upstream is not given them all (see
    /// ``UpstreamStopSequences``); nil otherwise: the client's, or those
    /// the route's rules leave (``RequestRule``: a rule may set or remove
    /// `/stop_sequences`). A pass-through sends the client's own request,
    /// limits and all, as the client wrote it.
    public func stopSequencesAppliedByProxy(route: RouteOptions) -> [String]? {
        let stops: [JSONValue]?
        if let rules = route.rules, rulesMayChangeStopSequences(route) {
            // What the upstream body is built from: the pivot, the rules applied.
            guard !isPassthrough(route), var pivot = try? pivotRequest(for: route).body else { return nil }
            _ = RequestRule.apply(rules, to: &pivot)
            stops = pivot["stop_sequences"]?.arrayValue
        } else {
            // Read where the client put them, as its decoder reads them
            // (Chat's `stop` is one string or several), not from the pivot:
            // this is asked up to three times an exchange, and a whole
            // decode each time cost requests the proxy applies nothing to.
            switch dialect {
            case .anthropic: stops = body["stop_sequences"]?.arrayValue
            case .openaiResponses: return nil
            case .openai: stops = body["stop"].flatMap { $0.stringValue.map { [.string($0)] } ?? $0.arrayValue }
            case .gemini: stops = body[gemini: "generationConfig"]?[gemini: "stopSequences"]?.arrayValue
            }
        }
        guard let stops, !stops.isEmpty, !isPassthrough(route) else { return nil }
        return UpstreamStopSequences.appliedByProxy(
            stops.compactMap(\.stringValue), route: route, clientDialect: dialect)
    }
}

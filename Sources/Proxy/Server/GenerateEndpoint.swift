import AsyncHTTPClient
import Convert
import Hummingbird
import Logging
import Wire

/// Every generate endpoint, in every client dialect: Anthropic Messages,
/// OpenAI Chat Completions and Responses, Gemini `generateContent` and
/// `streamGenerateContent` (and the token counts Gemini's `countTokens` and
/// OpenAI Responses' `input_tokens`). Read the request in
/// its dialect, route its model, convert (or pass through), call the
/// upstream, and answer in the client's dialect.
struct GenerateEndpoint: Sendable {
    let routes: LiveRouter
    let upstream: UpstreamClient
    let maxBodyBytes: Int
    let maxStreamEventBytes: Int

    func handle(_ request: Request, context: ProxyRequestContext) async throws -> Response {
        guard let endpoint = context.clientEndpoint else {
            throw HTTPError(.notFound)
        }
        // Read once: the whole exchange uses this config, even if a reload
        // puts another in force meanwhile.
        let router = routes.router
        let exchange = context.exchange
        let document = try await exchange.readClientBody(
            request, intake: context.intakeBody, path: context.path, limit: maxBodyBytes)
        let client = try ClientRequest(endpoint: endpoint, body: document.value)
        if endpoint.operation == .countTokens {
            return try await countTokens(client, router: router, request: request, context: context)
        }
        let (route, options) = try exchange.route(client, with: router)
        let fallbacks = route.entry.fallback.compactMap { router.config.model(id: $0) }
        let attempt = Attempt(
            request: request, client: client, clientBody: document, upstream: upstream, context: context,
            maxStreamEventBytes: maxStreamEventBytes)

        return try await context.cancellingOnHangup {
            var (entry, entryOptions) = (route.entry, options)
            var next = fallbacks[...]
            var refreshedLogin = false
            var lastFallback: UpstreamFallback?
            while true {
                entry = try await entry.withCurrentLogin()
                let (call, prepared, upstreamBody) = try attempt.prepare(entry: entry, options: entryOptions)
                // After a redirect, the request sent last: its credentials
                // are the ones an error in the answer can quote.
                var upstreamRequest = prepared
                let response: UpstreamResponse
                do {
                    response = try await call.send(&upstreamRequest, body: upstreamBody)
                    // Only where there is a fallback to try: other routes
                    // send the client's head before the first event, as ever.
                    if client.stream, !next.isEmpty {
                        try await call.giveUpOnFirstEventError(response, sent: upstreamRequest)
                    }
                } catch let error as APIError where error.status == 401 && entry.oauthSession != nil && !refreshedLogin
                {
                    // The backend refused the login's token before it
                    // expired (revoked, or a clock off): refreshed once, and
                    // the request sent once more.
                    refreshedLogin = true
                    entry = try await entry.withLoginRefreshed()
                    continue
                } catch let error as APIError where UpstreamFallbackPolicy.triggers(error) && !next.isEmpty {
                    // Nothing has reached the client yet: the next entry of
                    // the list gets the request, once each.
                    // A stream's first event that was an error stands for
                    // the status it maps to (the upstream's own was 200).
                    let status = exchange.upstreamStatus.map { (200..<300).contains($0) ? error.status : $0 }
                    let fallback = try await UpstreamFallbackPolicy.giveUp(
                        entry, error: error, upstreamStatus: status, next: next.first!.modelID,
                        earlier: lastFallback, exchange: exchange, logger: context.logger)
                    lastFallback = fallback
                    entry = next.removeFirst()
                    try exchange.checkServable(entry)
                    entryOptions = entry.routeOptions(requestedModel: client.model, idSeed: exchange.id)
                    exchange.recordRoute(
                        entry: entry, options: entryOptions, requestedModel: client.model, scenario: route.scenario,
                        fallback: fallback)
                    continue
                }
                // Past here the answer is the client's: a stream has begun,
                // or a body is being read; nothing is retried.
                if client.stream {
                    return call.streamingResponse(
                        response, sent: upstreamRequest, connection: context.clientConnection)
                }
                if entry.streamsUpstreamAlways {
                    return try await call.collectedResponse(response, sent: upstreamRequest)
                }
                return try await call.bufferedResponse(response, sent: upstreamRequest)
            }
        }
    }

    /// One attempt's conversion and upstream request, for the route chosen
    /// or a fallback.
    private struct Attempt {
        let request: Request
        let client: ClientRequest
        /// The client's body as read: what the upstream body keeps of it is
        /// copied, not serialized again.
        let clientBody: JSONDocument
        let upstream: UpstreamClient
        let context: ProxyRequestContext
        let maxStreamEventBytes: Int

        func prepare(
            entry: ModelEntry, options: RouteOptions
        ) throws -> (UpstreamCall, HTTPClientRequest, [UInt8]) {
            let exchange = context.exchange
            exchange.stage = .conversion
            let converted = try client.upstreamBody(route: options)
            exchange.report(converted.diagnostics, logger: context.logger)
            let call = UpstreamCall(
                entry: entry, options: options, request: client, client: upstream, eventLoop: context.channel.eventLoop,
                exchange: exchange,
                logger: context.logger, maxStreamEventBytes: maxStreamEventBytes)
            let upstreamBody = try Self.backendBody(converted.body, entry: entry, route: options).serialized(
                reusingMembersOf: clientBody)
            // The client's query means something only to an Anthropic upstream
            // (Claude Code's `?beta=true`); a Gemini client's may hold its key.
            // A route that cannot stream (`can_stream: false`) is asked for the
            // whole answer; the client still gets a stream, made from it.
            let upstreamStreams = (client.stream && options.upstreamStreams) || entry.streamsUpstreamAlways
            let endpoint = client.endpoint
            let upstreamRequest = UpstreamRequest.make(
                url: entry.isCodeAssist
                    ? CodeAssistBackend.generateURL(base: entry.apiBase, stream: upstreamStreams)
                    : UpstreamRequest.messagesURL(
                        for: entry, route: options, stream: upstreamStreams,
                        clientQuery: endpoint.dialect == .anthropic ? request.uri.query : nil),
                entry: entry, clientHeaders: request.headers, clientQuery: request.uri.query,
                streaming: upstreamStreams, onRule: { exchange.report($0, logger: context.logger) })
            context.logger.debug(
                "\(client.model) -> \(call.upstreamName) as \(options.upstreamModel), stream: \(client.stream)")
            return (call, upstreamRequest, upstreamBody)
        }

        /// The converted body as a subscription backend takes it: Codex's
        /// settings, or Code Assist's (or Antigravity's) envelope with the
        /// login's project.
        private static func backendBody(
            _ body: JSONValue, entry: ModelEntry, route: RouteOptions
        ) throws(APIError) -> JSONValue {
            if entry.streamsUpstreamAlways { return SubscriptionBackendBody.codex(body) }
            guard entry.isCodeAssist else { return body }
            let provider = entry.provider ?? ""
            guard let project = entry.codeAssistProject else {
                throw APIError(
                    status: 401, type: "authentication_error",
                    message:
                        "the \(provider) login has no Google Cloud project; run `proxy login --\(provider)` again"
                )
            }
            if entry.subscription == .antigravity {
                return SubscriptionBackendBody.antigravity(body, model: route.upstreamModel, project: project)
            }
            return CodeAssistEnvelope.wrapped(body, model: route.upstreamModel, project: project)
        }
    }

    /// Gemini's `countTokens` and OpenAI Responses' `input_tokens`: a local
    /// estimate over the request's text, as for Anthropic clients of
    /// non-Anthropic routes, never a paid call; except that a Responses
    /// upstream counts a Responses client's request itself, as an Anthropic
    /// one does an Anthropic client's. The model must still be one the
    /// config routes.
    private func countTokens(
        _ client: ClientRequest, router: ModelRouter, request: Request, context: ProxyRequestContext
    ) async throws -> Response {
        let exchange = context.exchange
        // Routed as the request it counts for would be, scenarios first (as
        // an Anthropic client's count_tokens is).
        let (route, options) = try exchange.route(client, with: router)
        if CountTokensEndpoint.upstreamCounts(client, entry: route.entry) {
            let endpoint = CountTokensEndpoint(routes: routes, upstream: upstream, maxBodyBytes: maxBodyBytes)
            return try await endpoint.forward(
                client, entry: route.entry, options: options, request: request, context: context)
        }
        exchange.stage = .conversion
        // countTokens may wrap the request as `generateContentRequest`.
        var counted = client
        if let inner = client.body["generateContentRequest"], case .object = inner {
            counted = try ClientRequest(endpoint: client.endpoint, body: inner)
        }
        let pivot = try counted.pivotRequest()
        let estimate = TokenEstimator.estimateInputTokens(anthropicRequest: pivot.body)
        return exchange.json(ClientCodec.countTokensResponse(inputTokens: estimate, dialect: client.dialect))
    }
}

extension ModelRouter {
    /// The route for `model`, or 404 `not_found_error` listing what exists.
    func requireRoute(model: String) throws(APIError) -> Route {
        guard let route = route(model: model) else { throw unknownModel(model) }
        return route
    }

    /// 404 for a model name nothing routes, listing what exists.
    func unknownModel(_ model: String) -> APIError {
        var error = APIError.notFound(
            "model `\(model)` is not configured; configured models: \(modelIDs.joined(separator: ", ")) "
                + "(add an alias or a default in models.yaml to route other names)")
        error.code = APIError.modelNotFound
        return error
    }
}

import Cassette
import Convert
import Foundation
import SSE
import Wire

/// `log-replay verify`: runs one recorded exchange through today's
/// converters, offline, and compares the result with what was recorded.
///
/// - The client request goes through ``RequestConverter`` with the route
///   recorded in the `route` line, against the recorded upstream request.
/// - The recorded upstream chunks, at their recorded boundaries, go through
///   ``UpstreamStreamConverter`` (streams), ``ResponseConverter`` (bodies)
///   or ``UpstreamErrorMapper`` (error statuses), against the recorded
///   client frames or body.
public struct ExchangeVerifier: Sendable {
    public var level: VerifyLevel
    /// Skipped paths: ``VolatileFields/responses`` plus `--ignore`.
    public var ignoring: [JSONPointerPattern]

    public init(level: VerifyLevel = .events, ignoring: [JSONPointerPattern] = VolatileFields.responses) {
        self.level = level
        self.ignoring = ignoring
    }

    /// Why an exchange with no `client_request` line is not compared: the
    /// proxy records that line first, so its start is elsewhere.
    static let noClientRequest =
        "no client_request line: the exchange began in another file (a recording rotated before rotation "
        + "kept exchanges whole) or its first lines were dropped"

    public func verify(_ exchange: Exchange) -> ExchangeVerification {
        var result = ExchangeVerification(
            exchangeID: exchange.id, file: exchange.file, skipped: nil, differences: [], replayed: .init(),
            incomplete: exchange.isIncomplete)
        // The leg that answered is the last; the ones before it (fallback
        // attempts given up) are checked for their upstream request only.
        guard let leg = exchange.legs.last, let route = leg.route else {
            // Cut before its route line, an exchange is incomplete, not
            // one the proxy answered before routing; nor is one whose
            // first lines are not here at all.
            if exchange.clientRequest == nil {
                result.skipped = Self.noClientRequest
            } else if let left = exchange.errors.first(where: { $0.stage == .client }) {
                // Not the proxy's answer: its client stopped sending its
                // body (408, see ``Exchange/clientStalledInBody``, which
                // `send` replays) or hung up before it was read; nothing
                // reached a converter.
                result.skipped =
                    "no route line: the client left before its request was read ("
                    + "\(left["status"]?.intValue.map(String.init) ?? "-") "
                    + "\(left["type"]?.stringValue ?? "error"): \(left["message"]?.stringValue ?? "")), "
                    + "so no converter ran"
            } else if !exchange.isIncomplete {
                result.skipped = "no route line: the proxy answered it before routing"
            }
            return result
        }
        guard let options = Self.routeOptions(route) else {
            result.skipped = "the route line has no readable options record"
            return result
        }
        guard let path = exchange.endpoint,
            let endpoint = ClientEndpoint.parse(path: path, query: exchange.query), endpoint.operation == .generate
        else {
            result.skipped = "\(exchange.endpoint ?? "no path") is not a converted endpoint"
            return result
        }
        guard let clientBody = exchange.clientRequest?["body"] else {
            result.skipped = "the client request has no JSON body"
            return result
        }
        let comparison = OutputComparison(level: level, ignoring: ignoring)
        let dialect = endpoint.dialect
        for (index, earlier) in exchange.legs.dropLast().enumerated() {
            guard let earlierRoute = earlier.route, let earlierOptions = Self.routeOptions(earlierRoute),
                let client = try? ClientRequest(endpoint: endpoint, body: clientBody),
                let converted = try? client.upstreamBody(route: earlierOptions)
            else { continue }
            let shaped = Self.shapedLikeRecording(
                converted.body, recorded: earlier.upstreamRequest, model: earlierOptions.upstreamModel)
            result.replayed.earlierLegRequestBodies.append(shaped)
            result.differences += comparison.compare(body: earlier.upstreamRequest?["body"], shaped)
                .map { VerifyDifference(leg: "upstream_request[\(index)]", $0) }
        }
        let client: ClientRequest
        do {
            client = try ClientRequest(endpoint: endpoint, body: clientBody)
            let converted = try client.upstreamBody(route: options)
            let shaped = Self.shapedLikeRecording(
                converted.body, recorded: leg.upstreamRequest, model: options.upstreamModel)
            result.replayed.upstreamRequestBody = shaped
            result.differences += comparison.compare(body: leg.upstreamRequest?["body"], shaped)
                .map { VerifyDifference(leg: "upstream_request", $0) }
            // The client's query goes on to an Anthropic upstream only from
            // an Anthropic client, as the proxy passes it.
            Self.compareUpstreamHead(
                leg.upstreamRequest, route: route, options: options, stream: client.stream && options.upstreamStreams,
                clientQuery: dialect == .anthropic ? exchange.query : nil, into: &result)
        } catch {
            // Today's converter refuses the request: the recording must show a
            // refusal too, with the same error.
            if let recorded = leg.upstreamRequest?["body"] {
                result.differences.append(
                    VerifyDifference(
                        leg: "upstream_request", pointer: "", expected: recorded,
                        actual: error.rendered(in: dialect)))
            }
            compareError(error, dialect: dialect, with: exchange, comparison: comparison, into: &result)
            return result
        }

        // A crash before the client's answer began left nothing to compare.
        guard let response = leg.upstreamResponse, let status = response["status"]?.intValue,
            !exchange.isIncomplete || exchange.clientResponse != nil
        else {
            return result
        }
        let chunks = leg.upstreamChunks.map { $0.chunkBytes ?? [] }
        let upstreamContentType = response.headerPairs.first { $0.name.lowercased() == "content-type" }?.value
        // OpenAI answers' `created`, as the proxy gave it: what the client
        // got, when it got one (cassettes from before the answers carried the
        // request's time hold 0 or 1 700 000 000, which `--level bytes`
        // compares), else when the request came.
        let createdAt =
            Self.recordedCreatedAt(exchange) ?? Int64(exchange.startDate?.timeIntervalSince1970 ?? 0)
        if status < 400, let refusal = Self.recordedError(exchange, at: .upstreamResponse) {
            // The proxy refused a 2xx/3xx answer on its head (an encoding it
            // cannot read, a redirect it does not follow): the body was never
            // converted, so the recorded refusal is the answer to check.
            compareError(refusal, dialect: dialect, with: exchange, comparison: comparison, into: &result)
        } else if status >= 400 {
            let retryAfter = response.headerPairs.first { $0.name.lowercased() == "retry-after" }?.value
            let error = UpstreamErrorMapper.map(
                status: status, body: Array(chunks.joined()), retryAfter: retryAfter,
                upstream: Self.upstreamName(route), dialect: options.upstreamDialect)
            compareError(error, dialect: dialect, with: exchange, comparison: comparison, into: &result)
        } else if !exchange.clientEvents.isEmpty || client.stream {
            let answeredWhole =
                UpstreamStreamConverter.answersWhole(contentType: upstreamContentType, dialect: options.upstreamDialect)
                && UpstreamStreamConverter.startsAnObject(chunks.joined()) == true
            var converter = client.streamConverter(
                route: options, createdAt: createdAt, answeredWhole: answeredWhole)
            var events: [SSEEvent] = []
            for chunk in chunks { events += converter.receive(chunk) }
            // A stream the proxy's shutdown ended got the shutdown error as
            // its last frame, as a cut upstream gets its error.
            events += converter.finish(
                error: Self.recordedError(exchange, at: .upstreamStream)
                    ?? Self.recordedError(exchange, at: .shutdown))
            let recorded = exchange.clientEvents.compactMap(\.sseEvent)
            // A client that hung up saw only a prefix of the stream, and so
            // did one the proxy let go when it read nothing (an error at
            // stage `client`), and one whose proxy was killed mid-stream (no
            // `end` line).
            let clientLeft =
                exchange.end?.outcome == .clientCancelled || Self.recordedError(exchange, at: .client) != nil
            if clientLeft || exchange.isIncomplete, events.count > recorded.count {
                events.removeLast(events.count - recorded.count)
            }
            result.replayed.clientEvents = events
            result.differences += comparison.compare(events: recorded, events)
                .map { VerifyDifference(leg: "client_events", $0) }
            Self.compareClientContentType(exchange, streamContentType: endpoint.streamContentType, into: &result)
        } else {
            let body = Array(chunks.joined())
            do {
                let upstreamBody: JSONValue
                do {
                    upstreamBody = try JSONValue(parsing: body)
                } catch {
                    throw APIError(
                        status: 502, type: "api_error",
                        message:
                            "upstream \(Self.upstreamName(route)) sent a body that is not JSON (\(error.description))")
                }
                let converted = try client.clientResponse(
                    upstreamBody: upstreamBody, route: options, createdAt: createdAt
                ).body
                result.replayed.clientStatus = status
                result.replayed.clientResponseBody = converted
                compareStatus(status, with: exchange, into: &result)
                result.differences += comparison.compare(body: exchange.clientResponse?["body"], converted)
                    .map { VerifyDifference(leg: "client_response", $0) }
                Self.compareClientContentType(
                    exchange, streamContentType: nil,
                    upstreamContentType: upstreamContentType, into: &result)
            } catch let error as APIError {
                compareError(error, dialect: dialect, with: exchange, comparison: comparison, into: &result)
            } catch {
                compareError(
                    .internalError("\(error)"), dialect: dialect, with: exchange, comparison: comparison,
                    into: &result)
            }
        }
        return result
    }

    /// An error answer: its status and its body, in the client's dialect,
    /// against the recorded client response.
    private func compareError(
        _ error: APIError, dialect: Dialect, with exchange: Exchange, comparison: OutputComparison,
        into result: inout ExchangeVerification
    ) {
        let body = (try? JSONValue(parsing: error.clientBody(in: dialect))) ?? error.rendered(in: dialect)
        result.replayed.clientStatus = error.status(in: dialect)
        result.replayed.clientResponseBody = body
        compareStatus(error.status(in: dialect), with: exchange, into: &result)
        result.differences += comparison.compare(body: exchange.clientResponse?["body"], body)
            .map { VerifyDifference(leg: "client_response", $0) }
        Self.compareClientContentType(exchange, streamContentType: nil, into: &result)
    }

    private func compareStatus(_ status: Int, with exchange: Exchange, into result: inout ExchangeVerification) {
        let recorded = exchange.clientResponse?["status"]?.intValue
        guard recorded != status else { return }
        result.differences.append(
            VerifyDifference(
                leg: "client_status", pointer: "", expected: recorded.map { .int(Int64($0)) },
                actual: .int(Int64(status))))
    }

    /// The route's `options` record, as the proxy wrote it.
    static func routeOptions(_ route: CassetteEvent) -> RouteOptions? {
        guard let options = route["options"],
            var decoded = try? JSONDecoder().decode(RouteOptions.self, from: Data(options.serialized()))
        else { return nil }
        // A generic decoder loses key order; extra_body is merged into the
        // upstream body, so take it as recorded.
        decoded.extraBody = options["extra_body"]?.objectValue
        return decoded
    }

    /// How the proxy names an upstream in error messages.
    static func upstreamName(_ route: CassetteEvent) -> String {
        if let name = route["upstream_name"]?.stringValue { return name }
        let modelID = route["model_id"]?.stringValue ?? "?"
        return route["upstream"]?.stringValue.map { "\(modelID) (\($0))" } ?? modelID
    }

    /// The time an OpenAI answer the client got carries: Chat's `created`
    /// (a body, or a stream's first chunk), Responses' `created_at` (a body,
    /// or a stream's first event's `response`).
    static func recordedCreatedAt(_ exchange: Exchange) -> Int64? {
        if let body = exchange.clientResponse?["body"] {
            if let created = (body["created"] ?? body["created_at"])?.intValue { return Int64(created) }
        }
        guard let data = exchange.clientEvents.first?["data"] else { return nil }
        return (data["created"] ?? data["response"]?["created_at"])?.intValue.map(Int64.init)
    }

    /// The first `error` line at `stage` of the leg that answered, as the
    /// proxy reported it: the failure that cut a stream, or the refusal of
    /// an upstream answer. Lines before the last `route` line belong to
    /// fallback attempts given up, not to the answer the client got.
    static func recordedError(_ exchange: Exchange, at stage: CassetteStage) -> APIError? {
        let lastRoute = exchange.events.lastIndex { $0.knownKind == .route } ?? -1
        guard
            let line = exchange.events[(lastRoute + 1)...].first(where: {
                $0.knownKind == .error && $0.stage == stage
            })
        else { return nil }
        return APIError(
            status: line["status"]?.intValue ?? 502, type: line["type"]?.stringValue ?? "api_error",
            message: line["message"]?.stringValue ?? "")
    }
}

import AsyncHTTPClient
import Cassette
import Convert
import Hummingbird
import Logging
import NIOCore
import SSE
import Wire

/// One request to an upstream and the turning of its answer into the
/// client's response: an error in Anthropic's shape, a converted or passed-on
/// body, or a stream written to the client chunk by chunk. Every leg is
/// recorded on the exchange.
struct UpstreamCall: Sendable {
    let entry: ModelEntry
    let options: RouteOptions
    /// The client's request, which knows how to turn the answer into its dialect.
    let request: ClientRequest
    let client: UpstreamClient
    /// The event loop of the client's connection: the upstream request runs
    /// on it, so the answer reaches the client without a thread hop.
    let eventLoop: any EventLoop
    let exchange: Exchange
    let logger: Logger
    /// The most bytes of a stream that complete no event: one event larger
    /// than this (or a run of bytes with no event end, or a JSON answer read
    /// whole) ends the stream with an error, so an upstream cannot make the
    /// proxy hold unbounded memory.
    var maxStreamEventBytes = UpstreamCall.defaultMaxStreamEventBytes

    /// The largest upstream body read whole (non-streaming answers, errors).
    static let maxBufferedBody = 64 << 20
    /// Enough of an error body to keep the upstream's message.
    static let maxErrorBody = 1 << 20
    /// The default ``maxStreamEventBytes``: 32 MiB.
    static let defaultMaxStreamEventBytes = 32 << 20

    var upstreamName: String { entry.upstreamName }
    var requestedModel: String { request.model }

    /// Sends the request and checks the answer's status: transport failures
    /// become 502/504, upstream HTTP errors their own status in Anthropic's
    /// shape. A 307 or 308 to the same host is followed (see
    /// ``UpstreamRedirect``); an encoding the proxy cannot read is 502.
    /// - Parameter request: becomes the request last sent, whose URL a
    ///   redirect changed: the one the answer quotes credentials of, if any.
    func send(_ request: inout HTTPClientRequest, body: [UInt8]) async throws -> UpstreamResponse {
        var hops = 0
        while true {
            let response = try await execute(request, body: body)
            if let target = try UpstreamRedirect.target(
                of: response, for: request, hops: hops, upstream: upstreamName)
            {
                // Read off, so the connection can carry the next request.
                var held = HeldUpstreamChunks(for: exchange)
                _ = try? await collect(response.body, limit: Self.maxErrorBody, truncate: true, holding: &held)
                held.record()
                request.url = target
                hops += 1
                continue
            }
            try UpstreamContentEncoding.check(response, upstream: upstreamName)
            guard (200..<300).contains(response.status.code) else {
                // Read whole before it is recorded: a key the upstream
                // quotes back is replaced first, wherever it fell in the chunks.
                var held = HeldUpstreamChunks(for: exchange)
                let raw =
                    (try? await collect(response.body, limit: Self.maxErrorBody, truncate: true, holding: &held))
                    ?? ByteBuffer()
                var scrubber = credentialScrubber(sent: request)
                held.finish(failed: true, scrubber: &scrubber)
                let body = scrubber.scrubbing(Array(raw.readableBytesView))
                if entry.subscription == .codex,
                    let limit = CodexBackend.usageLimitError(status: Int(response.status.code), body: body)
                {
                    throw limit.keepingRetryHints(of: response.headers)
                }
                if entry.isCodeAssist,
                    let quota = CodeAssistBackend.quotaError(
                        status: Int(response.status.code), body: body,
                        product: entry.subscription?.backendName ?? "Code Assist")
                {
                    throw quota.keepingRetryHints(of: response.headers)
                }
                throw UpstreamErrorMapper.map(
                    status: Int(response.status.code), body: body,
                    retryAfter: response.headers.first(name: "retry-after"), upstream: upstreamName,
                    dialect: entry.format
                ).keepingRetryHints(of: response.headers)
            }
            return response
        }
    }

    /// What keeps the credentials `request` carries out of an upstream's
    /// error text (``QuotedCredentialScrubber``).
    func credentialScrubber(sent request: HTTPClientRequest) -> QuotedCredentialScrubber {
        QuotedCredentialScrubber(
            sent: request, redactor: exchange.recording?.redactor ?? Redactor(), extraBody: options.extraBody)
    }

    /// One request and its response head, recorded.
    private func execute(_ request: HTTPClientRequest, body: [UInt8]) async throws -> UpstreamResponse {
        exchange.stage = .upstreamConnect
        exchange.recordUpstreamRequest(request, body: body, extraBody: options.extraBody)
        exchange.noteUpstreamStart()
        let response: UpstreamResponse
        do {
            response = try await client.execute(
                request, body: ByteBuffer(bytes: body), timeout: entry.timeout, on: eventLoop)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw UpstreamFailure.apiError(for: error, upstream: upstreamName, timeout: entry.timeout)
        }
        exchange.stage = .upstreamResponse
        exchange.noteUpstreamHead(status: Int(response.status.code))
        exchange.recordUpstreamResponse(response)
        return response
    }

    /// A non-streaming answer, converted into the client's dialect (for a
    /// route of the client's own dialect: relayed, an Anthropic answer with
    /// the client's model name, per the contract).
    ///
    /// A 200 can carry an error (`{"error": ...}`), which can quote the key
    /// as an error status's body does: such a body is scrubbed of the
    /// credentials `sent` carried before it is recorded, relayed, or
    /// converted into the client's error. It is looked for only in an
    /// answer read as a tree anyway, or in one with no usage (a success
    /// has one: a pass-through answer without usage is parsed for it), so
    /// a good answer relayed as it came pays nothing for it.
    func bufferedResponse(_ response: UpstreamResponse, sent: HTTPClientRequest) async throws -> Response {
        var held = HeldUpstreamChunks(for: exchange)
        var scrubber = credentialScrubber(sent: sent)
        var body: ByteBuffer
        do {
            body = try await collect(response.body, limit: Self.maxBufferedBody, truncate: false, holding: &held)
        } catch let error as APIError {
            held.finish(failed: true, scrubber: &scrubber)
            throw error
        } catch {
            held.finish(failed: true, scrubber: &scrubber)
            if Task.isCancelled { throw CancellationError() }
            throw UpstreamFailure.streamError(
                for: error, upstream: upstreamName, timeout: entry.timeout, streamed: false)
        }
        var bytes = Array(body.readableBytesView)
        var answer = request.answerAsItCame(upstreamBody: bytes, route: options)
        var tree = answer?.usage == nil ? try? answerTree(bytes) : nil
        let isError = tree.map(Self.reportsError) ?? false
        held.finish(failed: isError, scrubber: &scrubber)
        if isError {
            let scrubbed = scrubber.scrubbing(bytes)
            if scrubbed != bytes {
                bytes = scrubbed
                body = ByteBuffer(bytes: scrubbed)
                answer = request.answerAsItCame(upstreamBody: bytes, route: options)
                tree = try? answerTree(bytes)
            }
        }
        // Anthropic to Anthropic, or a pass-through: the answer is read, not
        // parsed, and goes out as it came (an Anthropic one's model renamed).
        // Not an error in a 200: that is the upstream's error, in the
        // client's shape, as on a converted route (SDKs read a 200 as an
        // answer and failed on it, and the exchange was recorded as ok).
        if let answer, !isError {
            exchange.stage = .conversion
            exchange.usage = answer.usage.map(JSONValue.object)
            exchange.noteFinishReasons {
                FinishReasons.find(in: (try? JSONValue(parsing: answer.renamed ?? bytes)) ?? .null)
            }
            guard let renamed = answer.renamed else {
                let contentType = response.headers.first(name: "content-type") ?? "application/json"
                return exchange.response(headers: [.contentType: contentType], body: body)
            }
            return exchange.response(headers: [.contentType: "application/json"], body: ByteBuffer(bytes: renamed))
        }
        return try convertedResponse(
            tree ?? answerTree(bytes), body: body, contentType: response.headers.first(name: "content-type"))
    }

    /// A whole answer's body as a tree; 502 when it is not JSON.
    private func answerTree(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            // Still the upstream_response stage: the upstream is at fault.
            throw APIError(
                status: 502, type: "api_error",
                message: "upstream \(upstreamName) sent a body that is not JSON (\(error.description))")
        }
    }

    /// Whether a 200's body is an error: an `error` member that is not
    /// null, in the object or (as Gemini's streaming endpoints write it) in
    /// an array's first element.
    private static func reportsError(_ body: JSONValue) -> Bool {
        let error = body["error"] ?? body.arrayValue?.first?["error"]
        return error.map { !$0.isNull } ?? false
    }

    /// A whole upstream answer (`body` as it came, when it came whole)
    /// converted into the client's dialect.
    func convertedResponse(_ json: JSONValue, body: ByteBuffer?, contentType: String?) throws -> Response {
        exchange.stage = .conversion
        let conversion = try request.clientResponse(upstreamBody: json, route: options, createdAt: exchange.createdAt)
        exchange.report(conversion.diagnostics, logger: logger)
        let converted = conversion.body
        exchange.usage = conversion.usage.map(JSONValue.object)
        exchange.noteFinishReasons { FinishReasons.find(in: converted) }
        // A body the conversion left alone goes back as the upstream wrote
        // it, byte for byte.
        if let body, request.isPassthrough(options), converted == json {
            return exchange.response(headers: [.contentType: contentType ?? "application/json"], body: body)
        }
        return exchange.json(converted)
    }

    /// Reads a whole body into `held`, to be recorded once it is known
    /// whether it is an error. Past `limit`, either stops (`truncate`) or
    /// fails with 502.
    func collect(
        _ body: UpstreamBody, limit: Int, truncate: Bool, holding held: inout HeldUpstreamChunks
    ) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        var chunks = body.makeAsyncIterator()
        while var chunk = try await chunks.nextPart() {
            held.hold(chunk)
            if collected.readableBytes + chunk.readableBytes > limit {
                if truncate { return collected }
                throw APIError(
                    status: 502, type: "api_error", message: "upstream answer is larger than \(limit >> 20) MiB")
            }
            collected.writeBuffer(&chunk)
        }
        return collected
    }
}

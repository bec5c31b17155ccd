import AsyncHTTPClient
import Cassette
import Convert
import Foundation
import HTTPTypes
import Logging
import NIOCore
import ServiceRunning
import Wire

/// `proxy check`: every configured route's upstream called once, in
/// parallel, so a user learns which key, URL or model name is wrong before
/// a client does.
///
/// Each route's models list is asked first (no tokens spent), and must
/// name the route's `model_name`. An upstream without one (404 or 405), or
/// whose list does not name the model (a paged list, a server that serves
/// more than it lists, or a wrong name), gets a one-token Messages request
/// instead, through an in-process proxy on a loopback port, so it takes the
/// very path (conversion, key, headers) a client's request would.
public struct UpstreamCheck: Sendable {
    /// One route's answer.
    public struct Result: Sendable {
        public var route: String
        public var format: Dialect
        /// `api_base` as logs show it.
        public var upstream: String
        public var ok: Bool
        public var latency: Duration
        /// What was asked and what came back; for a failure, what to fix.
        public var detail: String
    }

    public let config: ProxyConfig
    /// The key for routes without an `api_key` (they pass on the client's).
    public let clientKey: String?
    /// How long each call may take.
    public let timeout: Duration

    public init(config: ProxyConfig, clientKey: String?, timeout: Duration = .seconds(20)) {
        self.config = config
        self.clientKey = clientKey
        self.timeout = timeout
    }

    /// Every route's result, in config order.
    public func run() async -> [Result] {
        var configuration = HTTPClient.Configuration()
        // A refused connection is an answer: report it now, not after
        // retrying until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let results = await withTaskGroup(of: (Int, Result).self) { group in
            for (index, entry) in config.models.enumerated() {
                group.addTask { (index, await check(entry, client: client)) }
            }
            var results: [(Int, Result)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        try? await client.shutdown()
        return results
    }

    private func check(_ entry: ModelEntry, client: HTTPClient) async -> Result {
        let started = ContinuousClock.now
        var result = Result(
            route: entry.modelID, format: entry.format, upstream: ModelEntry.urlRedactor.url(entry.apiBase), ok: false,
            latency: .zero, detail: "")
        guard entry.apiKey != nil || clientKey != nil else {
            result.detail =
                "no key: the route passes on the client's key; give one with --api-key or ANTHROPIC_API_KEY"
            return result
        }
        do {
            let (status, body) = try await get(
                Self.wholeList(UpstreamRequest.modelsURL(for: entry), format: entry.format), entry: entry,
                client: client)
            result.latency = .now - started
            if (200..<300).contains(status) {
                let listed = Self.listedModels(body)
                let count = listed.map { "\($0.count) model\($0.count == 1 ? "" : "s")" } ?? "answered"
                // `model_name: "*"` sends the client's own: any listed model may be asked for.
                guard let listed, entry.modelName != ModelEntry.passThroughModelName,
                    !Self.names(entry.modelName, in: listed)
                else {
                    result.ok = true
                    result.detail = "models list: " + count
                    return result
                }
                // A list that leaves the model out is no answer for it: a key
                // and URL that work with a wrong model_name read "ok" here.
                let because = "models list: \(count), \"\(entry.modelName)\" not among them"
                return await oneTokenRequest(entry, client: client, result: result, started: started, because: because)
            } else if status == 404 || status == 405 {
                return await oneTokenRequest(
                    entry, client: client, result: result, started: started, because: "no models list (\(status))")
            } else {
                result.detail = Self.failure(status: status, body: body, entry: entry)
            }
        } catch {
            result.latency = .now - started
            result.detail = Self.unreachable(error)
        }
        return result
    }

    private func get(_ url: String, entry: ModelEntry, client: HTTPClient) async throws -> (Int, [UInt8]) {
        var request = UpstreamRequest.make(
            url: url, entry: entry, clientHeaders: clientHeaders, streaming: false)
        request.method = .GET
        request.headers.remove(name: "content-type")
        let response = try await client.execute(request, timeout: .init(timeout))
        let body = try await response.body.collect(upTo: 4 << 20)
        // A key the upstream quotes back is not printed (see Redactor.credentials).
        let sent = Redactor().credentials(headers: request.headers.map { ($0.name, $0.value) }, url: request.url)
        return (Int(response.status.code), Redactor.scrubbing(Array(body.readableBytesView), of: sent))
    }

    private var clientHeaders: HTTPFields {
        var headers = HTTPFields()
        if let clientKey { headers[HTTPField.Name("x-api-key")!] = clientKey }
        return headers
    }

    /// The fallback: `max_tokens: 1` through an in-process proxy serving
    /// only this route.
    /// - Parameter because: why the models list did not do, to open the detail.
    private func oneTokenRequest(
        _ entry: ModelEntry, client: HTTPClient, result: Result, started: ContinuousClock.Instant, because: String
    ) async -> Result {
        var result = result
        guard entry.modelName != ModelEntry.passThroughModelName else {
            result.detail = "\(because), and model_name \"*\" names no model to send one token to"
            return result
        }
        var only = config
        only.models = [entry]
        only.defaultModelID = nil
        only.aliases = []
        var logger = Logger(label: "switchboard.check")
        logger.logLevel = .critical
        let server = ProxyServer(config: only, options: .init(host: "127.0.0.1", port: 0), logger: logger)
        do {
            let (status, body) = try await server.withRunning { port in
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/messages")
                request.method = .POST
                request.headers.add(name: "content-type", value: "application/json")
                if let clientKey { request.headers.add(name: "x-api-key", value: clientKey) }
                let body: JSONValue = [
                    "model": .string(entry.modelID), "max_tokens": 1,
                    "messages": [["role": "user", "content": "Reply with one word."]],
                ]
                request.body = .bytes(ByteBuffer(bytes: body.serialized()))
                let response = try await client.execute(request, timeout: .init(timeout))
                let collected = try await response.body.collect(upTo: 4 << 20)
                return (Int(response.status.code), Array(collected.readableBytesView))
            }
            result.latency = .now - started
            if (200..<300).contains(status) {
                result.ok = true
                result.detail = "\(because); a one-token request answered"
            } else {
                let message = (try? JSONValue(parsing: body))?["error"]?["message"]?.stringValue ?? "status \(status)"
                result.detail = "\(because); a one-token request failed: \(status) \(message)"
            }
        } catch {
            result.latency = .now - started
            result.detail = Self.unreachable(error)
        }
        return result
    }

    /// `url` asking for the longest page the dialect's list gives: Gemini's
    /// is 50 models a page and Anthropic's 20 unless asked, and a model on a
    /// later page cost a token to check.
    static func wholeList(_ url: String, format: Dialect) -> String {
        let parameter: String
        switch format {
        case .gemini: parameter = "pageSize=1000"
        case .anthropic: parameter = "limit=1000"
        case .openai, .openaiResponses: return url
        }
        return url + (url.contains("?") ? "&" : "?") + parameter
    }

    /// The model names a models list holds: OpenAI's and Anthropic's
    /// `data[].id`, Gemini's `models[].name`; nil for a body that is no
    /// such list (then only its answering is judged).
    static func listedModels(_ body: [UInt8]) -> [String]? {
        guard let json = try? JSONValue(parsing: body) else { return nil }
        if let data = json["data"]?.arrayValue { return data.compactMap { $0["id"]?.stringValue } }
        if let models = json["models"]?.arrayValue { return models.compactMap { $0["name"]?.stringValue } }
        return nil
    }

    /// Whether `listed` names `model`: as it is, as Gemini lists it
    /// (`models/` before it), or as Ollama does a model without a tag
    /// (`:latest` after it).
    static func names(_ model: String, in listed: [String]) -> Bool {
        listed.contains { $0 == model || $0 == "models/" + model || $0 == model + ":latest" }
    }

    /// An HTTP error, with the upstream's message and what it usually means.
    private static func failure(status: Int, body: [UInt8], entry: ModelEntry) -> String {
        let message = UpstreamErrorMapper.map(
            status: status, body: body, retryAfter: nil, upstream: entry.upstreamName, dialect: entry.format
        ).message
        let hint: String
        switch status {
        case 401, 403:
            hint = entry.apiKey == nil ? "check the key you passed" : "check the route's api_key"
        case 429: hint = "rate limited or out of quota"
        default: hint = "check api_base and format"
        }
        return "\(status): \(message) (\(hint))"
    }

    private static func unreachable(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            return "no answer in time; is api_base reachable from here?"
        }
        let text = NetworkErrorText.connectionFailure(error) ?? String(describing: error)
        return "\(text); is the upstream up, and api_base right?"
    }

    /// The results as a table for a terminal.
    public static func table(_ results: [Result]) -> String {
        let header = ["route", "format", "upstream", "result", "latency", "detail"]
        let rows = results.map { result in
            [
                result.route, result.format.rawValue, result.upstream, result.ok ? "ok" : "FAILED",
                "\(result.latency.totalMilliseconds) ms",
                result.detail,
            ]
        }
        // TextTable pads by characters: `padding(toLength:)` counts UTF-16 units, and cut an
        // emoji in a route's name in half.
        var table = TextTable(header: header)
        for row in rows { table.append(row) }
        return table.lines.joined(separator: "\n")
    }
}

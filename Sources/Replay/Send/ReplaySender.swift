import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ServiceRunning
import Wire

/// `log-replay send`: re-sends recorded client requests to a live proxy.
///
/// Keys come from the environment (``CredentialSlot``), never from the
/// cassette, which holds only fingerprints: a secret header whose variable
/// is unset is left out and the result says so.
public struct ReplaySender: Sendable {
    /// What one re-sent request got, next to what was recorded.
    public struct Result: Sendable, Equatable {
        public var exchangeID: String
        public var method: String
        public var path: String
        public var recordedStatus: Int?
        /// True when the recorded client stream reported an error (see ``ClientStreamError``).
        public var recordedStreamError: Bool
        public var status: Int?
        /// True when the new response was a stream that reported an error.
        public var streamError: Bool
        /// Why no status came back (connection refused, timeout...).
        public var failure: String?
        /// Variables that would have supplied a recorded secret header.
        public var missingKeys: [String]
        /// True when the recorded client stopped sending its body
        /// (``Exchange/clientStalledInBody``), so the body was sent only as
        /// far as recorded and then held.
        public var bodyHeld = false
        /// True when, the body held, the proxy closed the connection with no
        /// answer: what the recorded client met (its 408 is the proxy's
        /// record of it, never sent).
        public var closedUnanswered = false

        /// Whether the new response ended as the recorded one did: its
        /// status, and whether its stream reported an error; or, for a
        /// client that stopped sending its body, the connection closed
        /// unanswered again.
        public var isSame: Bool {
            if bodyHeld { return closedUnanswered }
            return status == recordedStatus && streamError == recordedStreamError
        }

        /// One line: id, request, recorded status, new status (each with
        /// `(stream error)` when its stream reported one); the cassette's
        /// text with its control characters escaped.
        public var line: String {
            let recorded =
                (recordedStatus.map(String.init) ?? "-") + (recordedStreamError ? " (stream error)" : "")
                + (bodyHeld ? " (its client stopped sending the body)" : "")
            let now =
                closedUnanswered
                ? "closed unanswered, the body held as recorded"
                : status.map { "\($0)\(streamError ? " (stream error)" : "")" } ?? "failed: \(failure ?? "no response")"
            let mark = isSame ? "" : "  <- differs"
            let missing =
                missingKeys.isEmpty ? "" : "  (unset: \(missingKeys.map { "$" + $0 }.joined(separator: ", ")))"
            let request = ControlCharacterEscape.escaped("\(exchangeID)  \(method) \(path)")
            return "\(request)  recorded \(recorded)  now \(now)\(mark)\(missing)"
        }
    }

    public var target: String
    public var environment: [String: String]
    public var timeout: TimeAmount

    /// `target` is the proxy's base URL, e.g. `http://127.0.0.1:8082`.
    public init(
        target: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        timeout: TimeAmount = .seconds(600)
    ) {
        self.target = target.hasSuffix("/") ? String(target.dropLast()) : target
        self.environment = environment
        self.timeout = timeout
    }

    /// Why `target` cannot be sent to, or nil when it is an http(s) URL
    /// with a host. Checked before anything is sent: `notaurl` failed each
    /// exchange in turn with `HTTPClientError.emptyScheme`.
    public static func problem(target: String) -> String? {
        guard let url = URL(string: target), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host(), !host.isEmpty
        else { return "'\(target)' is not an http:// or https:// URL, e.g. http://127.0.0.1:8082" }
        return nil
    }

    /// A client for ``send(_:client:)`` that reports a refused connection at
    /// once: `HTTPClient.shared` retries connecting until the request's
    /// timeout (600 s here), so a proxy that is not running looked hung.
    /// Shut it down when done.
    public static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Re-sends one exchange's client request; nil when none was recorded.
    /// Use a client from ``makeClient()`` to hear of a refused connection
    /// at once.
    public func send(_ exchange: Exchange, client: HTTPClient) async -> Result? {
        guard exchange.clientRequest != nil else { return nil }
        let (request, missing) = makeRequest(for: exchange)
        var result = Result(
            exchangeID: exchange.id, method: exchange.method, path: exchange.endpoint ?? "/",
            recordedStatus: exchange.status,
            recordedStreamError: ClientStreamError.lastError(in: exchange.clientEvents) != nil,
            status: nil, streamError: false, failure: nil, missingKeys: missing, bodyHeld: exchange.clientStalledInBody)
        do {
            let response = try await client.execute(request, timeout: timeout)
            result.status = Int(response.status.code)
            let body = try await response.body.collect(upTo: 512 << 20)
            let isStream = response.headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream")
            if isStream == true {
                result.streamError = ClientStreamError.reportsError(streamBody: body.readableBytesView)
            }
        } catch let error as HTTPClientError
            where result.bodyHeld && result.status == nil && error == .remoteConnectionClosed
        {
            result.closedUnanswered = true
        } catch {
            result.failure = "cannot reach \(target): \(NetworkErrorText.connectionFailure(error) ?? "\(error)")"
        }
        return result
    }

    /// The request as it will go out, and the variables that were unset.
    public func makeRequest(for exchange: Exchange) -> (HTTPClientRequest, missing: [String]) {
        let path = exchange.endpoint ?? "/"
        var missing: [String] = []
        var url = target + path
        if let query = exchange.query {
            let items = URLQuery(query).nonEmptyParameters.compactMap { parameter -> String? in
                guard let value = parameter.encodedValue,
                    let variable = CredentialSlot.environmentVariable(
                        queryParameter: parameter.name, value: URLQuery.decoded(value), path: path)
                else { return String(parameter.text) }
                guard let key = environment[variable], !key.isEmpty else {
                    if !missing.contains(variable) { missing.append(variable) }
                    return nil
                }
                return parameter.encodedName + "="
                    + (key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key)
            }
            if !items.isEmpty { url += "?" + items.joined(separator: "&") }
        }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: exchange.method)
        for (name, value) in exchange.requestHeaders {
            // A name no HTTP request can carry (only an edited cassette has one) is left out: NIO's
            // headers refuse a name that is not ASCII with a trap.
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }) else {
                continue
            }
            let lowered = name.lowercased()
            if CredentialSlot.connectionHeaders.contains(lowered) { continue }
            if CredentialSlot.isSecret(header: lowered) {
                guard let variable = CredentialSlot.environmentVariable(header: lowered, path: path) else { continue }
                guard let key = environment[variable], !key.isEmpty else {
                    if !missing.contains(variable) { missing.append(variable) }
                    continue
                }
                request.headers.add(name: name, value: CredentialSlot.value(recorded: value, header: lowered, key: key))
            } else {
                request.headers.add(name: name, value: value)
            }
        }
        if exchange.clientStalledInBody {
            // Sent whole, it was answered (a 400 for a cut body), which the
            // recorded client never was: held where its client stopped, the
            // proxy's own timeout lets it go, as it did then. The length its
            // client declared, else chunked: either way more is owed.
            let bytes = exchange.requestBodyBytes ?? []
            let declared = exchange.requestHeaders.first { $0.name.lowercased() == "content-length" }
                .flatMap { Int64($0.value.trimmingCharacters(in: .whitespaces)) }
                .flatMap { $0 > bytes.count ? $0 : nil }
            request.body = .stream(
                HeldRequestBody(bytes: bytes, limit: .nanoseconds(timeout.nanoseconds)),
                length: declared.map { .known($0) } ?? .unknown)
        } else if let body = exchange.requestBodyBytes, !body.isEmpty {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return (request, missing)
    }
}

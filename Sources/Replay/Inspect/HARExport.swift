import Cassette
import Foundation
import Wire

/// `-o har`: HAR 1.2, the client's side of each exchange, so a session opens
/// in browser devtools or an HTTP debugging tool.
public enum HARExport {
    /// The HAR document for `exchanges`; `baseURL` as in ``CurlExport``.
    public static func document(_ exchanges: [Exchange], baseURL: String?, creatorVersion: String = "1") -> JSONValue {
        let entries = exchanges.filter { $0.clientRequest != nil }.map { entry(for: $0, baseURL: baseURL) }
        return [
            "log": [
                "version": "1.2",
                "creator": ["name": "log-replay", "version": .string(creatorVersion)],
                "entries": .array(entries),
            ]
        ]
    }

    static func entry(for exchange: Exchange, baseURL: String?) -> JSONValue {
        let total = milliseconds(exchange.durationMicros ?? 0)
        let wait = milliseconds(exchange.timeToFirstByteMicros ?? exchange.durationMicros ?? 0)
        let started = exchange.startDate.map(CassetteFormat.iso8601) ?? "1970-01-01T00:00:00.000Z"
        return [
            "startedDateTime": .string(started),
            "time": .double(total),
            "request": request(for: exchange, baseURL: baseURL),
            "response": response(for: exchange),
            "cache": [:],
            "timings": [
                "blocked": -1, "dns": -1, "connect": -1, "ssl": -1, "send": 0,
                "wait": .double(wait), "receive": .double(max(0, total - wait)),
            ],
            "_exchangeId": .string(exchange.id),
            "_cassette": .string(exchange.file),
        ]
    }

    static func request(for exchange: Exchange, baseURL: String?) -> JSONValue {
        let path = exchange.endpoint ?? "/"
        var url = ExchangeURL.base(of: exchange, override: baseURL) + path
        if let query = exchange.query { url += "?" + query }
        let body = exchange.requestBodyBytes ?? []
        var request: JSONObject = [
            "method": .string(exchange.method),
            "url": .string(url),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": headers(exchange.requestHeaders),
            "queryString": .array(queryItems(exchange.query)),
            "headersSize": -1,
            "bodySize": .int(Int64(body.count)),
        ]
        if !body.isEmpty {
            request["postData"] = [
                "mimeType": .string(contentType(exchange.requestHeaders) ?? "application/json"),
                "text": .string(String(decoding: body, as: UTF8.self)),
            ]
        }
        return .object(request)
    }

    static func response(for exchange: Exchange) -> JSONValue {
        let body = exchange.clientEvents.isEmpty ? (exchange.responseBodyBytes ?? []) : exchange.clientStreamBytes
        let mimeType =
            contentType(exchange.responseHeaders)
            ?? (exchange.clientEvents.isEmpty ? "application/json" : "text/event-stream")
        var content: JSONObject = ["size": .int(Int64(body.count)), "mimeType": .string(mimeType)]
        if let text = String(validating: body, as: UTF8.self) {
            content["text"] = .string(text)
        } else {
            content["text"] = .string(Data(body).base64EncodedString())
            content["encoding"] = "base64"
        }
        return [
            "status": .int(Int64(exchange.status ?? 0)),
            "statusText": "",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": headers(exchange.responseHeaders),
            "content": .object(content),
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": .int(Int64(body.count)),
        ]
    }

    static func headers(_ pairs: [(name: String, value: String)]) -> JSONValue {
        .array(pairs.map { ["name": .string($0.name), "value": .string($0.value)] })
    }

    static func queryItems(_ query: String?) -> [JSONValue] {
        guard let query else { return [] }
        return URLQuery(query).nonEmptyParameters.map { ["name": .string($0.name), "value": .string($0.value)] }
    }

    static func contentType(_ pairs: [(name: String, value: String)]) -> String? {
        pairs.first { $0.name.lowercased() == "content-type" }?.value
    }

    static func milliseconds(_ micros: Int64) -> Double { Double(micros) / 1000 }
}

import Convert
import SSE
import Wire

/// Credentials an upstream quotes back.
///
/// Some upstreams answer a bad key by quoting it ("Incorrect API key
/// provided: sk-..."), and that text becomes the client's error message, a
/// log line and a cassette's lines: the route's own key went to any client
/// that asked. The proxy knows what it sent, so it replaces exactly that
/// with its fingerprint before the text goes anywhere.
extension Redactor {
    /// Credentials shorter than this are not looked for: text holds short
    /// strings by chance, and a key that short is no key.
    public static let minimumScrubbedLength = 8

    /// The credentials a request carries, as an upstream would quote them:
    /// each secret header's value, an `Authorization` credential without its
    /// scheme too, and the values of secret query parameters (decoded).
    public func credentials(headers: [(name: String, value: String)], url: String) -> [String] {
        var found: [String] = []
        for header in headers where isSecret(header.name) {
            found.append(header.value)
            let utf8 = header.value.utf8
            if let space = utf8.firstIndex(of: UInt8(ascii: " ")) {
                found.append(String(Substring(utf8[utf8.index(after: space)...])))
            }
        }
        if let question = url.utf8.firstIndex(of: UInt8(ascii: "?")) {
            let query = Substring(url.utf8[url.utf8.index(after: question)...])
            for parameter in URLQuery(query).parameters
            where Self.isSecretName(parameter.name) {
                guard let value = parameter.encodedValue else { continue }
                found.append(String(value))
                found.append(URLQuery.decoded(value))
            }
        }
        // Longest first: a credential inside another (the bare token in
        // "Bearer <token>") is replaced after the whole.
        return Array(Set(found.filter { $0.utf8.count >= Self.minimumScrubbedLength }))
            .sorted { $0.utf8.count > $1.utf8.count }
    }

    /// `bytes` with every occurrence of each of `credentials`, as it is or
    /// JSON-escaped (``QuotedCredential``), replaced by its fingerprint
    /// (``fingerprint(_:)``).
    public static func scrubbing(_ bytes: [UInt8], of credentials: [String]) -> [UInt8] {
        scrubbing(chunks: [bytes], of: credentials)[0]
    }

    /// `chunks` scrubbed as one text, since a key can be cut across two of
    /// them, then cut again where they were cut: a cut inside a quote of a
    /// key moves to the start of its fingerprint (a chunk can be left
    /// empty); every other cut stays between the same bytes.
    public static func scrubbing(chunks: [[UInt8]], of credentials: [String]) -> [[UInt8]] {
        var text = chunks.count == 1 ? chunks[0] : Array(chunks.joined())
        var ends: [Int] = []
        ends.reserveCapacity(chunks.count)
        for chunk in chunks { ends.append((ends.last ?? 0) + chunk.count) }
        for credential in credentials where credential.utf8.count >= minimumScrubbedLength {
            let quoted = QuotedCredential(credential)
            guard let first = quoted.firstQuote(in: text) else { continue }
            let replacement = Array(fingerprint(credential).utf8)
            var scrubbed: [UInt8] = []
            scrubbed.reserveCapacity(text.count)
            var copied = 0
            // Where a byte outside the quotes replaced so far has moved.
            var shift = 0
            var end = 0
            var next: Range<Int>? = first
            while let range = next {
                while end < ends.count, ends[end] <= range.lowerBound {
                    ends[end] += shift
                    end += 1
                }
                while end < ends.count, ends[end] < range.upperBound {
                    ends[end] = range.lowerBound + shift
                    end += 1
                }
                scrubbed += text[copied..<range.lowerBound]
                scrubbed += replacement
                copied = range.upperBound
                shift += replacement.count - range.count
                next = quoted.firstQuote(in: text, from: copied)
            }
            while end < ends.count {
                ends[end] += shift
                end += 1
            }
            scrubbed += text[copied...]
            text = scrubbed
        }
        if chunks.count == 1 { return [text] }
        var start = 0
        return ends.map { end in
            defer { start = end }
            return Array(text[start..<end])
        }
    }

    /// `text` with every occurrence of each of `credentials` replaced by its
    /// fingerprint; `text` itself when none occurs.
    public static func scrubbing(_ text: String, of credentials: [String]) -> String {
        let bytes = Array(text.utf8)
        let scrubbed = scrubbing(bytes, of: credentials)
        return scrubbed == bytes ? text : String(decoding: scrubbed, as: UTF8.self)
    }

    /// `error` with its message and the upstream's `param` scrubbed, and
    /// the upstream body it carries to a client of its dialect.
    public static func scrubbing(_ error: APIError, of credentials: [String]) -> APIError {
        var error = error
        error.message = scrubbing(error.message, of: credentials)
        error.param = error.param.map { scrubbing($0, of: credentials) }
        if let body = error.upstreamBody { error.upstreamBody?.bytes = scrubbing(body.bytes, of: credentials) }
        return error
    }

    /// `frames` with their names and data scrubbed; `frames` themselves
    /// when their bytes quote none of `credentials`, which is the rule: a
    /// frame is written again from its event only when it must change.
    public static func scrubbing(_ frames: SSEFrames, of credentials: [String]) -> SSEFrames {
        let quotes = credentials.contains { credential in
            credential.utf8.count >= minimumScrubbedLength
                && QuotedCredential(credential).firstQuote(in: frames.bytes) != nil
        }
        guard quotes else { return frames }
        var scrubbed = SSEFrames()
        for event in frames.events {
            scrubbed.append(
                SSEEvent(
                    event: event.event.map { scrubbing($0, of: credentials) },
                    data: scrubbing(event.data, of: credentials),
                    id: event.id, retry: event.retry))
        }
        return scrubbed
    }
}

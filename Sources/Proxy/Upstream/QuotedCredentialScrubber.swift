import AsyncHTTPClient
import Cassette
import Convert
import NIOCore
import NIOHTTP1
import SSE
import Wire

/// Keeps the credentials the proxy sent an upstream out of what that
/// upstream says after its answer began: an error reported inside a 200
/// stream can quote the key as an HTTP error body does ("Incorrect API key
/// provided: ..."), and would reach the client, the cassette and the log.
///
/// Used only once a stream has reported an error, so a stream that goes
/// well pays for none of it: the credentials are listed on first use.
struct QuotedCredentialScrubber {
    /// The sent request's head only: a stream's scrubber lives as long as
    /// the stream, and the request's body (a long conversation, images)
    /// must not live with it.
    private let headers: HTTPHeaders
    private let url: String
    private let redactor: Redactor
    /// Keys the route's `extra_body` put in the request's body
    /// (``ExtraBodySecrets``): an upstream that echoes its input in an
    /// error (a 422 listing the fields it refused) quotes them too.
    private let bodySecrets: [String]
    private var listed: [String]?

    /// - Parameters:
    ///   - sent: the request the upstream answered.
    ///   - redactor: the recording's, whose secret header names count.
    ///   - extraBody: the route's `extra_body`, whose secrets the body carried.
    init(sent: HTTPClientRequest, redactor: Redactor, extraBody: JSONObject? = nil) {
        headers = sent.headers
        url = sent.url
        self.redactor = redactor
        bodySecrets = extraBody == nil ? [] : ExtraBodySecrets(extraBody).values
    }

    /// The credentials `sent` carried (``Redactor/credentials(headers:url:)``).
    private mutating func credentials() -> [String] {
        if let listed { return listed }
        let found = redactor.credentials(headers: headers.map { ($0.name, $0.value) }, url: url) + bodySecrets
        listed = found
        return found
    }

    /// An upstream body as it is recorded, relayed or read for its error.
    mutating func scrubbing(_ body: [UInt8]) -> [UInt8] {
        Redactor.scrubbing(body, of: credentials())
    }

    /// Upstream chunks as they are recorded, scrubbed as one text: a key
    /// can be cut across two of them (``Redactor/scrubbing(chunks:of:)``).
    mutating func scrubbing(_ chunks: [ByteBuffer]) -> [ByteBuffer] {
        Redactor.scrubbing(chunks: chunks.map { Array($0.readableBytesView) }, of: credentials()).map {
            ByteBuffer(bytes: $0)
        }
    }

    /// Frames as the client gets and the cassette records them.
    mutating func scrubbing(_ frames: SSEFrames) -> SSEFrames {
        Redactor.scrubbing(frames, of: credentials())
    }

    /// An error as it is recorded, logged and (thrown) sent to the client.
    mutating func scrubbing(_ error: APIError) -> APIError {
        Redactor.scrubbing(error, of: credentials())
    }
}

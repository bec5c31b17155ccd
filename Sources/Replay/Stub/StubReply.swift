import Cassette
import Wire

/// What `stub-upstream` sends back for one recorded exchange: the upstream's
/// side of it, as the proxy saw it arrive.
public struct StubReply: Sendable, Hashable {
    /// One piece of body, sent as its own write, `gapMicros` after the
    /// previous one (or after the head, for the first).
    public struct Chunk: Sendable, Hashable {
        public var gapMicros: Int64
        public var bytes: [UInt8]
        public init(gapMicros: Int64, bytes: [UInt8]) {
            self.gapMicros = gapMicros
            self.bytes = bytes
        }
    }

    /// One response header.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The recorded status, or nil when the upstream never answered (a
    /// refused or timed-out connection): the stub then closes the connection.
    public var status: Int?
    /// Recorded response headers, minus hop-by-hop ones and `content-length`
    /// (the stub frames the body itself).
    public var headers: [Header]
    /// From the request going out to the head (or the failure) arriving.
    public var headGapMicros: Int64
    public var chunks: [Chunk]
    /// True when the upstream stream failed after its head: the stub sends
    /// the chunks, then closes the connection without ending the body.
    public var cutAfterChunks: Bool
    /// True when the failure (no answer, or the cut) was the proxy's
    /// timeout (a 504): the upstream was there but silent, so the stub
    /// holds the connection, sending nothing more, until the proxy closes
    /// it, and the proxy's own timeout fires again. Closed at once instead,
    /// the replay was a dropped connection (502), and a kept-alive one the
    /// proxy sends the request again on.
    public var timesOut: Bool
    /// True when the client hung up before its answer was complete (or
    /// was let go for reading none of it, a 408 at stage `client`): the
    /// proxy then cancelled the upstream request, so the recorded upstream
    /// stops where the client left, not where the upstream did. The stub
    /// holds the connection after the chunks (or before any head) as for a
    /// timeout, so the replaying client decides when to leave; ended or
    /// cut there instead, the replay gave the client an error the original
    /// never saw.
    public var clientLeft: Bool

    /// Whether the stub holds the connection, silent, once the recorded
    /// reply runs out, until the proxy closes it.
    public var holdsConnection: Bool { timesOut || clientLeft }

    /// Headers that belong to one connection, or that the stub recomputes;
    /// and `content-encoding`, since the proxy records chunks as it read
    /// them, gzip or deflate already decoded.
    static let droppedHeaders: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
        "content-length", "content-encoding",
    ]

    /// A reply made by hand (tests, tools); the stub frames the body itself.
    public init(
        status: Int?, headers: [Header] = [], headGapMicros: Int64 = 0, chunks: [Chunk] = [],
        cutAfterChunks: Bool = false, timesOut: Bool = false, clientLeft: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.headGapMicros = headGapMicros
        self.chunks = chunks
        self.cutAfterChunks = cutAfterChunks
        self.timesOut = timesOut
        self.clientLeft = clientLeft
    }

    /// The reply an exchange recorded; nil when it never reached the upstream.
    ///
    /// A failure counts as the upstream's when its error line's `stage`
    /// starts with `upstream`: before any head it is a connection failure,
    /// after a 2xx/3xx head it is a stream cut mid-way. An exchange whose
    /// client hung up, with no failure of the upstream's, is held open
    /// where the recording stops (``clientLeft``).
    public init?(exchange: Exchange) {
        guard let request = exchange.upstreamRequest else { return nil }
        let start = request.timeMicros ?? 0
        let upstreamErrors = exchange.errors.filter { $0.stage?.isUpstream == true }
        // A client the proxy let go for reading none of its answer
        // (`--header-timeout`, a 408 at stage `client`) left as surely as
        // one that hung up: the upstream request was cancelled there too.
        let clientLeft =
            upstreamErrors.isEmpty
            && (exchange.end?.outcome == .clientCancelled
                || exchange.errors.contains { $0.stage == .client && $0["status"]?.intValue == 408 })
        // A status HTTP cannot carry (only an edited cassette has one) is served as no answer.
        guard let response = exchange.upstreamResponse, let status = response["status"]?.intValue,
            Self.sendableStatuses.contains(status)
        else {
            guard let failure = upstreamErrors.first ?? (clientLeft ? exchange.end : nil) else { return nil }
            self.status = nil
            headers = []
            headGapMicros = Self.gap(from: start, to: failure.timeMicros ?? start)
            chunks = []
            cutAfterChunks = false
            timesOut = failure["status"]?.intValue == 504
            self.clientLeft = clientLeft
            return
        }
        self.status = status
        headers = response.headerPairs
            .filter { !Self.droppedHeaders.contains($0.name.lowercased()) }
            .map { Header(name: $0.name, value: $0.value) }
        let headTime = response.timeMicros ?? start
        headGapMicros = Self.gap(from: start, to: headTime)
        var previous = headTime
        chunks = exchange.upstreamChunks.map { chunk in
            let time = chunk.timeMicros ?? previous
            defer { previous = max(previous, time) }
            return Chunk(gapMicros: Self.gap(from: previous, to: time), bytes: chunk.chunkBytes ?? [])
        }
        // A body recorded whole came whole: the client left after it.
        var cameWhole = false
        if chunks.isEmpty, let body = response.bodyBytes {
            chunks = [Chunk(gapMicros: 0, bytes: body)]
            cameWhole = true
        }
        let cut = status < 400 ? upstreamErrors.first { ($0.timeMicros ?? headTime) >= headTime } : nil
        self.clientLeft = clientLeft && !cameWhole
        cutAfterChunks = cut != nil || self.clientLeft
        timesOut = cut?["status"]?.intValue == 504
    }

    /// The statuses a reply can be sent with (HTTPTypes traps on any other).
    static let sendableStatuses = 100...999

    /// The microseconds from `earlier` to `later`, 0 when `later` is not
    /// later; held at `Int64`'s limit: the times are a cassette's numbers,
    /// and far-apart ones trapped.
    static func gap(from earlier: Int64, to later: Int64) -> Int64 {
        max(0, later.subtractingSaturated(earlier))
    }
}

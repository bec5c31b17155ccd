import Cassette
import Wire

/// Everything one cassette recorded about one exchange, its lines grouped by
/// leg.
///
/// Any leg may be missing: a request the proxy rejected has no route and no
/// upstream side, a crash leaves no `end`, and a torn tail can cut an exchange
/// anywhere. Readers must treat every leg as optional.
public struct Exchange: Sendable, Hashable {
    /// The exchange id (`x`), also the `request-id` the client saw.
    public var id: String
    /// The cassette file the lines came from.
    public var file: String
    /// The cassette header's `started` (ISO 8601), the fallback start time
    /// for exchanges whose request line carries none.
    public var cassetteStarted: String?
    /// Every line of the exchange, in file order.
    public var events: [CassetteEvent]

    public var clientRequest: CassetteEvent?
    public var clientResponse: CassetteEvent?
    public var clientEvents: [CassetteEvent] = []
    public var diagnostics: [CassetteEvent] = []
    public var errors: [CassetteEvent] = []
    public var end: CassetteEvent?
    /// Every upstream attempt in order, each from its `route` line; more
    /// than one when a `fallback:` entry was tried. The last answered.
    public var legs: [UpstreamLeg] = []

    /// An exchange built from its lines; lines of other exchanges are the
    /// caller's mistake and are kept as they are.
    public init(id: String, file: String, cassetteStarted: String? = nil, events: [CassetteEvent] = []) {
        self.id = id
        self.file = file
        self.cassetteStarted = cassetteStarted
        self.events = []
        for event in events { append(event) }
    }

    /// Adds one line to its leg. Each `route` line starts an upstream leg
    /// (see ``legs``); the single fields keep the first leg's lines.
    public mutating func append(_ event: CassetteEvent) {
        events.append(event)
        let kind = event.knownKind
        if kind == .route {
            legs.append(UpstreamLeg(route: event))
        } else if legs.isEmpty, kind == .upstreamRequest || kind == .upstreamResponse || kind == .upstreamChunk {
            legs.append(UpstreamLeg())
        }
        switch kind {
        case .clientRequest: if clientRequest == nil { clientRequest = event }
        case .route: break
        case .upstreamRequest:
            if legs[legs.count - 1].upstreamRequest == nil { legs[legs.count - 1].upstreamRequest = event }
        case .upstreamResponse:
            if legs[legs.count - 1].upstreamResponse == nil { legs[legs.count - 1].upstreamResponse = event }
        case .upstreamChunk:
            legs[legs.count - 1].upstreamChunks.append(event)
        case .clientResponse: if clientResponse == nil { clientResponse = event }
        case .clientEvent: clientEvents.append(event)
        case .diagnostic: diagnostics.append(event)
        case .error: errors.append(event)
        case .end: if end == nil { end = event }
        case .cassette, .blob, nil: break
        }
    }
}

/// The first leg's lines, which is every upstream line of an exchange
/// that used no fallback (see ``Exchange/legs`` for every attempt's).
extension Exchange {
    public var route: CassetteEvent? {
        get { legs.first?.route }
        set { firstLeg { $0.route = newValue } }
    }

    public var upstreamRequest: CassetteEvent? {
        get { legs.first?.upstreamRequest }
        set { firstLeg { $0.upstreamRequest = newValue } }
    }

    public var upstreamResponse: CassetteEvent? {
        get { legs.first?.upstreamResponse }
        set { firstLeg { $0.upstreamResponse = newValue } }
    }

    public var upstreamChunks: [CassetteEvent] {
        get { legs.first?.upstreamChunks ?? [] }
        set { firstLeg { $0.upstreamChunks = newValue } }
    }

    private mutating func firstLeg(_ change: (inout UpstreamLeg) -> Void) {
        if legs.isEmpty { legs.append(UpstreamLeg()) }
        change(&legs[0])
    }
}

extension Exchange {
    /// Groups a cassette's lines into exchanges by `x`, in the order each
    /// exchange first appears. Lines without an exchange id (the header, or a
    /// damaged line) are skipped.
    public static func group(_ events: [CassetteEvent], file: String, cassetteStarted: String? = nil) -> [Exchange] {
        var assembler = ExchangeAssembler(file: file, cassetteStarted: cassetteStarted, release: .atEnd)
        var exchanges: [Exchange] = []
        for event in events { assembler.add(event) { exchanges.append($0) } }
        assembler.finish { exchanges.append($0) }
        return exchanges
    }
}

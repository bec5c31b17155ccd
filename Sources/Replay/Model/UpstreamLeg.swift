import Cassette

/// One attempt at the upstream: its `route` line and the lines that follow
/// it until the next `route` line. An exchange has one leg, or one per
/// attempt when the route's `fallback:` list was used; the last leg is the
/// one whose answer the client got.
public struct UpstreamLeg: Sendable, Hashable {
    public var route: CassetteEvent?
    public var upstreamRequest: CassetteEvent?
    public var upstreamResponse: CassetteEvent?
    public var upstreamChunks: [CassetteEvent] = []

    public init(route: CassetteEvent? = nil) {
        self.route = route
    }
}

import Cassette

/// Groups one cassette's lines into exchanges as they are read, by `x`.
///
/// With ``Release/whenComplete(maximumHeld:)`` an exchange is handed on at
/// its `end` line, so only the exchanges still open are in memory, which is
/// what lets `log-replay` read a cassette of any size. Exchanges are handed
/// on in the order they began, as ``Exchange/group(_:file:cassetteStarted:)``
/// gives them: a finished exchange waits for the ones that began before it.
/// An exchange that never ends (its `end` line dropped) would hold back all
/// the rest, so beyond `maximumHeld` waiting lines the finished ones are
/// handed on at once, in the order they began, ahead of the open ones.
/// Open exchanges are handed on at ``finish(_:)``. A line that comes after
/// its exchange was handed on starts a new exchange with the same id.
public struct ExchangeAssembler {
    /// When exchanges are handed on.
    public enum Release: Sendable {
        /// All at ``finish(_:)``: the whole file's grouping.
        case atEnd
        /// Each at its `end` line, in the order they began, with at most
        /// about `maximumHeld` lines of finished exchanges waiting.
        case whenComplete(maximumHeld: Int)

        /// Enough to keep the order of a busy proxy's interleaved exchanges.
        public static let streaming = Release.whenComplete(maximumHeld: 10_000)
    }

    public let file: String
    public let cassetteStarted: String?
    public let release: Release

    /// Exchange ids in the order they began, from `order[head]` on; an id
    /// whose exchange was handed on early is skipped.
    private var order: [String] = []
    private var head = 0
    private var pending: [String: Exchange] = [:]
    private var finished: Set<String> = []
    private var finishedLines = 0

    public init(file: String, cassetteStarted: String?, release: Release) {
        self.file = file
        self.cassetteStarted = cassetteStarted
        self.release = release
    }

    /// Adds one line; hands on the exchanges it lets go. Lines without an
    /// exchange id, and header lines, are skipped.
    public mutating func add(_ event: CassetteEvent, handOn: (Exchange) -> Void) {
        guard let id = event.exchange, event.knownKind != .cassette else { return }
        if pending[id] == nil {
            order.append(id)
            pending[id] = Exchange(id: id, file: file, cassetteStarted: cassetteStarted)
        }
        pending[id]?.append(event)
        guard case .whenComplete(let maximumHeld) = release else { return }
        if finished.contains(id) {
            finishedLines += 1
        } else if event.knownKind == .end {
            finished.insert(id)
            finishedLines += pending[id]?.events.count ?? 0
        } else {
            return
        }
        handOnLeadingFinished(handOn)
        if finishedLines > maximumHeld { handOnAllFinished(handOn) }
    }

    /// Hands on every exchange not yet handed on, in the order they began.
    public mutating func finish(_ handOn: (Exchange) -> Void) {
        for id in order[head...] {
            if let exchange = pending.removeValue(forKey: id) { handOn(exchange) }
        }
        order = []
        head = 0
        finished = []
        finishedLines = 0
    }

    private mutating func handOnLeadingFinished(_ handOn: (Exchange) -> Void) {
        while head < order.count {
            let id = order[head]
            if pending[id] != nil {
                guard finished.contains(id) else { break }
                handOnFinished(id, handOn)
            }
            head += 1
        }
        if head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    private mutating func handOnAllFinished(_ handOn: (Exchange) -> Void) {
        for id in order[head...] where finished.contains(id) { handOnFinished(id, handOn) }
        handOnLeadingFinished(handOn)
    }

    private mutating func handOnFinished(_ id: String, _ handOn: (Exchange) -> Void) {
        guard let exchange = pending.removeValue(forKey: id) else { return }
        finished.remove(id)
        finishedLines -= exchange.events.count
        handOn(exchange)
    }
}

import Cassette
import Wire

/// The exchanges of one or more cassettes, with what went wrong reading them.
public struct CassetteSet: Sendable {
    /// A cassette whose end was incomplete (a crash mid-write).
    public struct TornTail: Sendable, Hashable {
        public var file: String
        public var description: String
        public init(file: String, description: String) {
            self.file = file
            self.description = description
        }
    }

    /// The files read, in reading order.
    public var files: [String]
    /// Every exchange, file by file, each file's in first-seen order.
    public var exchanges: [Exchange]
    public var tornTails: [TornTail]

    public init(files: [String] = [], exchanges: [Exchange] = [], tornTails: [TornTail] = []) {
        self.files = files
        self.exchanges = exchanges
        self.tornTails = tornTails
    }

    /// Adds one cassette's lines: the header (if any) and the rest in file order.
    public mutating func add(file: String, header: CassetteEvent?, events: [CassetteEvent], tornTail: String?) {
        files.append(file)
        exchanges += Exchange.group(events, file: file, cassetteStarted: header?["started"]?.stringValue)
        if let tornTail { tornTails.append(TornTail(file: file, description: tornTail)) }
    }

    /// Events the recorder dropped, from every `end` line.
    /// Held at Int's limit: the numbers are the cassette's.
    public var droppedEvents: Int { exchanges.reduce(0) { $0.addingSaturated($1.droppedEvents) } }
}

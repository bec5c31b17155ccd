/// What a cassette file holds, as read.
public struct CassetteContents: Sendable {
    /// The file read.
    public var path: String
    /// The `cassette` header line; nil when the file was cut before it.
    public var header: CassetteEvent?
    /// Every line after the header, in file order.
    public var events: [CassetteEvent]
    /// What was left unread at the end of a file cut short (a killed or
    /// still-running writer): an incomplete LZ4 block, a missing frame end,
    /// a partial last line. Nil when the file is complete.
    public var tornTail: String?

    public init(path: String, header: CassetteEvent?, events: [CassetteEvent], tornTail: String?) {
        self.path = path
        self.header = header
        self.events = events
        self.tornTail = tornTail
    }
}

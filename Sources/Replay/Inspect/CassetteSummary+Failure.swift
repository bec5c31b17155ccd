import Wire

extension CassetteSummary {
    /// One failed exchange as `--errors-only` lists it: enough to find it
    /// (`--request-id`) and see what went wrong without exporting it.
    public struct Failure: Sendable, Equatable {
        public var id: String
        public var status: Int?
        public var message: String

        public init(id: String, status: Int?, message: String) {
            self.id = id
            self.status = status
            self.message = message
        }

        /// The exchange's last error line's message, else the error its
        /// client got (streamed or answered), on one line.
        init(_ exchange: Exchange) {
            let recorded = exchange.errors.last?["message"]
            let streamed = ClientStreamError.lastError(in: exchange.clientEvents)?["message"]
            let answered = exchange.clientResponse?["body"]?["error"]?["message"]
            let message = (recorded ?? streamed ?? answered)?.stringValue ?? "-"
            self.init(
                id: exchange.id, status: exchange.status,
                message: message.split(whereSeparator: \.isNewline).joined(separator: " "))
        }

        /// `ID  STATUS  MESSAGE`, control characters escaped (the message
        /// is an upstream's or a client's text).
        var line: String {
            ControlCharacterEscape.escaped("\(id)  \(status.map(String.init) ?? "-")  \(message)")
        }
    }
}

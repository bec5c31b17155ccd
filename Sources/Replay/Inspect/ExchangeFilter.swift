import Convert
import Foundation

/// The `log-replay` filters; every one that is set must hold.
public struct ExchangeFilter: Sendable, Equatable {
    /// Only failures: see ``Exchange/isFailure``.
    public var errorsOnly = false
    /// The exchange id, as the client saw it in `request-id`.
    public var requestID: String?
    /// The client's path without query; `*` matches any run of characters.
    /// A Gemini path also matches in the summary's form, its model as
    /// `{model}` (`/v1beta/models/{model}:generateContent`).
    public var endpoint: String?
    /// The model the client asked for; `*` matches any run of characters.
    public var model: String?
    /// The client status: `429`, or a class such as `4xx`.
    public var status: String?
    /// Exchanges that began at or after this time.
    public var since: Date?

    public init(
        errorsOnly: Bool = false, requestID: String? = nil, endpoint: String? = nil, model: String? = nil,
        status: String? = nil, since: Date? = nil
    ) {
        self.errorsOnly = errorsOnly
        self.requestID = requestID
        self.endpoint = endpoint
        self.model = model
        self.status = status
        self.since = since
    }

    /// True when no filter is set.
    public var isEmpty: Bool { self == ExchangeFilter() }

    public func matches(_ exchange: Exchange) -> Bool {
        if errorsOnly, !exchange.isFailure { return false }
        if let requestID, exchange.id != requestID { return false }
        if let endpoint, !Self.endpoint(endpoint, matches: exchange.endpoint ?? "") { return false }
        if let model, !Self.glob(model, matches: exchange.model ?? "") { return false }
        if let status, !Self.status(status, matches: exchange.status) { return false }
        if let since {
            // An exchange with no known time cannot be shown to be recent.
            guard let start = exchange.startDate, start >= since else { return false }
        }
        return true
    }

    /// Whether `pattern` is a status `--status` can match: three digits
    /// (`429`) or a class (`5xx`). Anything else would match nothing, and
    /// a filter that silently shows nothing hides the user's typo.
    public static func isStatusPattern(_ pattern: String) -> Bool {
        let lowered = pattern.lowercased()
        guard lowered.count == 3, let first = lowered.first?.wholeNumberValue, (1...5).contains(first) else {
            return false
        }
        return lowered.hasSuffix("xx") || lowered.allSatisfy(\.isNumber)
    }

    static func status(_ pattern: String, matches status: Int?) -> Bool {
        guard let status else { return false }
        let lowered = pattern.lowercased()
        if lowered.count == 3, lowered.hasSuffix("xx"), let first = lowered.first?.wholeNumberValue {
            return status / 100 == first
        }
        return Int(pattern) == status
    }

    /// Whether `pattern` matches `path` as it is or, for a Gemini path, as
    /// the summary's endpoint table shows it.
    static func endpoint(_ pattern: String, matches path: String) -> Bool {
        if glob(pattern, matches: path) { return true }
        guard pattern.contains("{model}"), let template = ClientEndpoint.geminiPathTemplate(path) else { return false }
        return glob(pattern, matches: template)
    }

    /// Glob with `*` only; everything else is literal.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        var rest = Substring(text)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        let last = parts[parts.count - 1]
        return rest.hasSuffix(last)
    }
}

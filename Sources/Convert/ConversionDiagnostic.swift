import Wire

/// How much a ``ConversionDiagnostic`` matters; the `severity` of a
/// cassette's `diagnostic` line.
public enum DiagnosticSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    /// Expected and harmless, e.g. a dropped `cache_control`.
    case debug
    /// Moved or rewritten; the upstream still sees the content.
    case info
    /// Content the upstream will not see, or a repair of what it sent.
    case warning
}

/// Something a conversion dropped or changed on purpose because the target
/// dialect cannot express it. The proxy logs these and records them in the
/// cassette, so a lossy conversion is visible instead of silent.
public struct ConversionDiagnostic: Sendable, Hashable, Codable {
    public var severity: DiagnosticSeverity
    /// A JSON pointer into the input, e.g. `/tools/3/defer_loading`.
    public var path: String
    public var message: String

    public init(severity: DiagnosticSeverity, path: String, message: String) {
        self.severity = severity
        self.path = path
        self.message = message
    }

    /// An object key as a JSON pointer token (RFC 6901: `~` -> `~0`, `/` -> `~1`).
    static func pointerToken(_ key: String) -> String {
        var token = ""
        for character in key {
            switch character {
            case "~": token += "~0"
            case "/": token += "~1"
            default: token.append(character)
            }
        }
        return token
    }

    static func debug(_ path: String, _ message: String) -> ConversionDiagnostic {
        ConversionDiagnostic(severity: .debug, path: path, message: message)
    }

    static func info(_ path: String, _ message: String) -> ConversionDiagnostic {
        ConversionDiagnostic(severity: .info, path: path, message: message)
    }

    static func warning(_ path: String, _ message: String) -> ConversionDiagnostic {
        ConversionDiagnostic(severity: .warning, path: path, message: message)
    }
}

/// A request body ready for the upstream, with what the conversion dropped.
public struct ConvertedRequest: Sendable {
    public var body: JSONValue
    public var diagnostics: [ConversionDiagnostic]

    public init(body: JSONValue, diagnostics: [ConversionDiagnostic]) {
        self.body = body
        self.diagnostics = diagnostics
    }
}

/// A response body for the client, with what the conversion dropped or repaired.
public struct ConvertedResponse: Sendable {
    public var body: JSONValue
    public var diagnostics: [ConversionDiagnostic]
    /// The answer's token usage in Anthropic's shape, whatever the client's
    /// dialect (for the cassette's `end` line); nil when the upstream gave none.
    public var usage: JSONObject?
    /// The output tokens spent on reasoning, within `usage`'s
    /// `output_tokens`, when the upstream counted them apart: Anthropic's
    /// body has no member for them (see
    /// ``AnthropicStreamEvent/MessageDelta/reasoningTokens``).
    public var reasoningTokens: Int?

    /// An Anthropic body: the usage is its own.
    public init(body: JSONValue, diagnostics: [ConversionDiagnostic], reasoningTokens: Int? = nil) {
        self.init(body: body, diagnostics: diagnostics, usage: body["usage"]?.objectValue)
        self.reasoningTokens = reasoningTokens
    }

    public init(body: JSONValue, diagnostics: [ConversionDiagnostic], usage: JSONObject?) {
        self.body = body
        self.diagnostics = diagnostics
        self.usage = usage
    }
}

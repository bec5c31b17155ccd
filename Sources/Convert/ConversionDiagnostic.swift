import Wire

/// Something a conversion dropped or changed on purpose because the target
/// dialect cannot express it. The proxy logs these and records them in the
/// cassette, so a lossy conversion is visible instead of silent.
public struct ConversionDiagnostic: Sendable, Hashable, Codable {
    /// `debug` (expected and harmless, e.g. `cache_control`), `info` (moved or
    /// rewritten), or `warning` (content the upstream will not see).
    public var severity: String
    /// A JSON pointer into the input, e.g. `/tools/3/defer_loading`.
    public var path: String
    public var message: String

    public init(severity: String, path: String, message: String) {
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
        ConversionDiagnostic(severity: "debug", path: path, message: message)
    }

    static func info(_ path: String, _ message: String) -> ConversionDiagnostic {
        ConversionDiagnostic(severity: "info", path: path, message: message)
    }

    static func warning(_ path: String, _ message: String) -> ConversionDiagnostic {
        ConversionDiagnostic(severity: "warning", path: path, message: message)
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

    public init(body: JSONValue, diagnostics: [ConversionDiagnostic]) {
        self.body = body
        self.diagnostics = diagnostics
    }
}

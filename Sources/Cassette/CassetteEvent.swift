import Wire

/// One line of a cassette (format version 1, see shared/DESIGN.md).
///
/// A line is a JSON object: `kind`, then `x` (the exchange id) and `t_us`
/// (microseconds since the exchange began) on every line but the header,
/// then the kind's own fields. The fields are kept as an ordered JSON object
/// so a reader never loses what a newer writer added.
///
/// Fields by kind (JSON bodies are stored as JSON values; a body that is not
/// JSON is `body_text` when UTF-8, else `body_b64`; see ``CassetteBody``;
/// the recorder writes `body` last, kept apart, so the writer can store its
/// large parts once without cutting it out of the line).
/// The constructors in `CassetteEvent+Constructors.swift` write exactly these:
/// - `cassette`: `version`, `writer`, `started` (ISO 8601), `pid`.
/// - `client_request`: `method`, `path`, `query` (or null), `headers`
///   (object of name to value, secrets redacted), `started`: when the
///   exchange began, ISO 8601 UTC with milliseconds
///   (`2026-11-21T08:30:00.123Z`; the proxy writes it, and `log-replay
///   --since` and HAR exports read it, falling back to the header's
///   `started`), then `body`. (Older files have `started` after the body;
///   no reader depends on the order of fields.)
/// - `route`: `model_id`, `upstream` (the api_base, no secrets), `options`
///   (a `RouteOptions` record), `requested_model`, then `upstream_name`:
///   the name the proxy gave the upstream in error messages (the `upstream`
///   argument of `UpstreamErrorMapper`), so a replay need not rebuild it;
///   then, only when they apply: `scenario`, the `router:` scenario that
///   chose the entry (`background`, `think`, `long_context`, `web_search`,
///   `image`), and `fallback` on a line that starts a fallback attempt:
///   `{"from": model_id given up, "status": its status or null for a
///   connect failure, "reason": its error message, "waited_ms": the
///   retry-after waited}`. An exchange with fallbacks has one `route` line
///   per attempt, each followed by that attempt's `upstream_request`,
///   `upstream_response` and `upstream_chunk` lines (its leg).
/// - `upstream_request`: `method`, `url` (`key=` redacted), `headers`, `body`.
/// - `upstream_response`: `status`, `headers`.
/// - `upstream_chunk`: `text` (the bytes, when UTF-8) or `b64`; boundaries
///   are the ones the network gave.
/// - `client_response`: `status`, `headers`, and `body` when not streamed.
/// - `client_event`: `event` (name or null), `data` (JSON value) or
///   `data_text` when the data is not JSON (or would not re-serialize to the
///   same text), then `id` and `retry` only when the frame had them.
/// - `diagnostic`: `severity` (a ``DiagnosticSeverity``), `path`, `message`.
/// - `error`: `stage` (a ``CassetteStage``: where the exchange was), `type`
///   (the Anthropic error type), `message`, `status` (the HTTP status the
///   client got; for an error inside a stream, whose head was a 200, the
///   status its type stands for).
/// - `end`: `outcome` (a ``CassetteOutcome``), `status`, `duration_us`, `ttfb_us`, `usage`,
///   `dropped_events`.
/// - `blob` (no `x`, no `t_us`): `id`, `value`: a large part of a request
///   body, stored once per file; the bodies hold `{"$ref":"<id>"}` in its
///   place and ``CassetteReader`` puts it back (see ``CassetteBlobs``).
public struct CassetteEvent: Sendable, Hashable {
    /// What a line records.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case cassette
        case clientRequest = "client_request"
        case route
        case upstreamRequest = "upstream_request"
        case upstreamResponse = "upstream_response"
        case upstreamChunk = "upstream_chunk"
        case clientResponse = "client_response"
        case clientEvent = "client_event"
        case diagnostic
        case error
        case end
        /// A large part of a request body, stored once per file (see ``CassetteBlobs``).
        case blob

        /// Lines whose body ``CassetteBlobs`` stores large parts of.
        var holdsRequestBody: Bool { self == .clientRequest || self == .upstreamRequest }
    }

    /// How the fields are held: as values (a line read from a file, or
    /// built by hand), or as the JSON text the constructors the recorder
    /// uses write straight away (see ``RenderedFields``).
    private enum Storage: Sendable {
        case values(JSONObject)
        case rendered(RenderedFields)
    }

    /// The line's `kind` as written; an unknown kind from a newer writer is
    /// kept as text rather than failing the read.
    public var kind: String
    /// The exchange id (`x`); nil only on the header line.
    public var exchange: String?
    /// Microseconds since the exchange began (`t_us`).
    public var timeMicros: Int64?
    private var storage: Storage

    /// Every other field, in order.
    public var fields: JSONObject {
        get {
            switch storage {
            case .values(let fields): fields
            case .rendered(let rendered): rendered.object
            }
        }
        set { storage = .values(newValue) }
    }

    public init(kind: String, exchange: String?, timeMicros: Int64?, fields: JSONObject = [:]) {
        self.kind = kind
        self.exchange = exchange
        self.timeMicros = timeMicros
        storage = .values(fields)
    }

    public init(_ kind: Kind, exchange: String?, timeMicros: Int64?, fields: JSONObject = [:]) {
        self.init(kind: kind.rawValue, exchange: exchange, timeMicros: timeMicros, fields: fields)
    }

    /// The line `line` of exchange `exchange`, rendered at once.
    public init(exchange: String, timeMicros: Int64, _ line: CassetteLine) {
        var fields = RenderedFields()
        line.writeFields(to: &fields)
        kind = line.kind.rawValue
        self.exchange = exchange
        self.timeMicros = timeMicros
        storage = .rendered(fields)
    }

    /// The `body` of a request line as serialized JSON text, when it is a
    /// JSON object, with its layout when known: what ``CassetteBlobs``
    /// looks into.
    var serializedRequestBody: (text: [UInt8], layout: SerializedFormLayout?)? {
        guard knownKind?.holdsRequestBody == true else { return nil }
        switch storage {
        case .rendered(let rendered):
            guard let body = rendered.body, body.text.first == UInt8(ascii: "{") else { return nil }
            return (body.text, body.layout)
        case .values(let fields):
            guard case .object(let body)? = fields["body"] else { return nil }
            return (JSONValue.object(body).serialized(), nil)
        }
    }

    /// Replaces the `body` with `text`, a JSON object in serialized form.
    mutating func replaceBody(serialized text: [UInt8]) {
        switch storage {
        case .rendered(var rendered):
            rendered.replaceBody(with: text)
            storage = .rendered(rendered)
        case .values(var fields):
            fields["body"] = (try? JSONValue(parsing: text)) ?? .null
            storage = .values(fields)
        }
    }

    /// Equal when the lines hold the same fields, however they are kept.
    public static func == (lhs: CassetteEvent, rhs: CassetteEvent) -> Bool {
        lhs.kind == rhs.kind && lhs.exchange == rhs.exchange && lhs.timeMicros == rhs.timeMicros
            && lhs.fields == rhs.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(exchange)
        hasher.combine(timeMicros)
        hasher.combine(fields)
    }

    /// The known kind, or nil for a kind this reader does not know.
    public var knownKind: Kind? { Kind(rawValue: kind) }

    public subscript(field: String) -> JSONValue? {
        get { fields[field] }
        set { fields[field] = newValue }
    }

    /// The line as a JSON object: `kind`, `x`, `t_us`, then the fields.
    public var json: JSONValue {
        var object = JSONObject()
        object.append(key: "kind", value: .string(kind))
        if let exchange { object.append(key: "x", value: .string(exchange)) }
        if let timeMicros { object.append(key: "t_us", value: .int(timeMicros)) }
        for member in fields.members where !["kind", "x", "t_us"].contains(member.key) {
            object.append(key: member.key, value: member.value)
        }
        return .object(object)
    }

    /// Appends the line's JSON (exactly ``json``'s compact text) and a
    /// newline, without building the intermediate object.
    public func writeLine(to output: inout [UInt8]) {
        if var exchange {
            exchange.withUTF8 { Self.writeLineStart(kind: kind, exchange: $0, timeMicros: timeMicros, to: &output) }
        } else {
            Self.writeLineStart(kind: kind, exchange: nil, timeMicros: timeMicros, to: &output)
        }
        switch storage {
        case .rendered(let rendered):
            rendered.write(to: &output)
        case .values(let fields):
            for member in fields.members where member.key != "kind" && member.key != "x" && member.key != "t_us" {
                output.append(UInt8(ascii: ","))
                JSONValue.writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(to: &output)
            }
        }
        JSONValue.writeVerbatim("}\n", to: &output)
    }

    /// `{"kind":...,"x":...,"t_us":...`: what every line starts with;
    /// `exchange` is the id's UTF-8.
    static func writeLineStart(
        kind: String, exchange: UnsafeBufferPointer<UInt8>?, timeMicros: Int64?, to output: inout [UInt8]
    ) {
        // The recorder's lines: a kind and an id with nothing to escape
        // (`req_` and hex digits), written as one piece.
        var kind = kind
        let written = kind.withUTF8 { kind in
            guard let exchange, let timeMicros, kind.count + exchange.count <= 128,
                JSONValue.needsNoEscape(kind), JSONValue.needsNoEscape(exchange)
            else { return false }
            ScratchText.append(to: &output, capacity: 160 + ScratchText.integerCapacity) { text in
                text.write(#"{"kind":""#)
                text.write(kind)
                text.write(#"","x":""#)
                text.write(exchange)
                text.write(#"","t_us":"#)
                text.write(integer: timeMicros)
            }
            return true
        }
        guard !written else { return }
        JSONValue.writeVerbatim(#"{"kind":"#, to: &output)
        JSONValue.writeString(kind, to: &output)
        if let exchange {
            JSONValue.writeVerbatim(#","x":"#, to: &output)
            JSONValue.writeString(validUTF8: exchange, to: &output)
        }
        if let timeMicros {
            JSONValue.writeVerbatim(#","t_us":"#, to: &output)
            JSONValue.writeInteger(timeMicros, to: &output)
        }
    }

    /// Reads a line's JSON object; nil when it has no string `kind`.
    public init?(json: JSONValue) {
        guard case .object(var object) = json, let kind = object["kind"]?.stringValue else { return nil }
        self.kind = kind
        exchange = object["x"]?.stringValue
        timeMicros = object["t_us"].flatMap { $0.intValue }.map(Int64.init)
        object.removeValue(forKey: "kind")
        object.removeValue(forKey: "x")
        object.removeValue(forKey: "t_us")
        storage = .values(object)
    }
}

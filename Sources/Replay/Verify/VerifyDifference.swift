import Wire

/// One place where today's converters disagree with a recording.
public struct VerifyDifference: Sendable, Hashable {
    /// Which recorded expectation: `upstream_request` (body, URL, key
    /// header), `client_response` (body, `content-type`), `client_status`,
    /// or `client_events`.
    public var leg: String
    /// JSON pointer into that leg's compared document (see ``VerifyLevel``),
    /// or into its line for a head: `/url`, `/headers/<name>`.
    public var pointer: String
    /// The recorded value; nil when the recording has nothing there.
    public var expected: JSONValue?
    /// Today's value; nil when today's output has nothing there.
    public var actual: JSONValue?

    public init(leg: String, pointer: String, expected: JSONValue?, actual: JSONValue?) {
        self.leg = leg
        self.pointer = pointer
        self.expected = expected
        self.actual = actual
    }

    init(leg: String, _ difference: JSONDifference) {
        self.init(leg: leg, pointer: difference.pointer, expected: difference.expected, actual: difference.actual)
    }

    public var json: JSONValue {
        var object: JSONObject = ["leg": .string(leg), "pointer": .string(pointer)]
        if let expected { object["expected"] = expected }
        if let actual { object["actual"] = actual }
        return .object(object)
    }
}

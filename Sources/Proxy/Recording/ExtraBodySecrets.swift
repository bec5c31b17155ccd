import Cassette
import Convert
import Wire

/// Keys a route's `extra_body` carries to the upstream (a gateway that
/// takes its key in the body: `extra_body: {api_key: ...}`): the strings
/// under members whose names hold a secret word
/// (``Redactor/isSecretName(_:)``), at any depth. They went to the
/// cassette in clear twice, in the route line's options and in the
/// upstream request's body. Both are fingerprinted alike, so `log-replay
/// verify`, converting with the recorded options, writes the same
/// fingerprints where the recorded body has them.
struct ExtraBodySecrets {
    /// The secret strings, each once.
    private(set) var values: [String] = []

    init(_ extraBody: JSONObject?) {
        guard let extraBody else { return }
        collect(in: .object(extraBody), underSecretName: false)
    }

    var isEmpty: Bool { values.isEmpty }

    private mutating func collect(in value: JSONValue, underSecretName: Bool) {
        switch value {
        // Short strings are settings, not keys (`auth: {type: bearer}`), and
        // each is replaced wherever its text stands in the recorded body.
        case .string(let text) where underSecretName && text.utf8.count >= Redactor.minimumScrubbedLength:
            if !values.contains(text) {
                // Longest first, as the scrubber takes them: a key inside another is not cut out of it.
                values.insert(text, at: values.firstIndex { $0.utf8.count < text.utf8.count } ?? values.endIndex)
            }
        case .array(let elements):
            for element in elements { collect(in: element, underSecretName: underSecretName) }
        case .object(let object):
            for member in object.members {
                collect(in: member.value, underSecretName: underSecretName || Redactor.isSecretName(member.key))
            }
        default:
            break
        }
    }

    /// `options` with the secrets of its `extra_body` fingerprinted, as the
    /// route line records it.
    func recorded(_ options: RouteOptions) -> RouteOptions {
        guard !isEmpty, let extraBody = options.extraBody, case .object(let redacted) = redacting(.object(extraBody))
        else { return options }
        var recorded = options
        recorded.extraBody = redacted
        return recorded
    }

    private func redacting(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text) where values.contains(text): .string(Redactor.fingerprint(text))
        case .array(let elements): .array(elements.map(redacting))
        case .object(let object):
            .object(JSONObject(object.members.map { .init(key: $0.key, value: redacting($0.value)) }))
        default: value
        }
    }

    /// `body` with each secret replaced by its fingerprint wherever it
    /// stands, as it is or JSON-escaped (``Redactor/scrubbing(_:of:)``, as
    /// for keys an upstream quotes back).
    func redacting(_ body: [UInt8]) -> [UInt8] {
        Redactor.scrubbing(body, of: values)
    }
}

import Wire

/// `seed`, `presence_penalty` and `frequency_penalty`: sampling settings
/// OpenAI Chat and Gemini both take and Anthropic has none of.
///
/// They ride in the pivot as top-level members under Chat's names, beside
/// Anthropic's own, as an OpenAI client's effort rides in
/// `output_config.effort` (``ReasoningEffortMapping/addThinking(budget:effort:to:)``):
/// without them a Chat client on a Gemini route, or a Gemini client on a
/// Chat route, lost its seed and got answers it could not reproduce. An
/// upstream that has none of them never gets them: an Anthropic one, which
/// refuses a member it does not know with a 400, loses them in
/// ``AnthropicUpstreamFit``; OpenAI Responses, whose API takes none of the
/// three, leaves them out. Each drop is a note naming the setting.
///
/// | pivot               | OpenAI Chat         | Gemini `generationConfig` | Responses, Anthropic |
/// |---------------------|---------------------|---------------------------|----------------------|
/// | `seed`              | `seed`              | `seed` (32-bit)           | dropped, a note      |
/// | `presence_penalty`  | `presence_penalty`  | dropped, a note           | dropped, a note      |
/// | `frequency_penalty` | `frequency_penalty` | dropped, a note           | dropped, a note      |
///
/// Gemini's API has `presencePenalty` and `frequencyPenalty`, but Gemini 2.5
/// and later answer any non-zero one with 400 ("Penalty is not enabled for
/// models/gemini-2.5-flash"), so they are not sent there: a Chat client's
/// penalties would have failed every request on a Gemini route. Its seed is
/// a 32-bit integer: a larger one is dropped with a warning.
///
/// An Anthropic client's request is read as the pivot it already is: one
/// that has these members (which Anthropic itself refuses) goes to an
/// Anthropic upstream as sent, and to the others with them.
enum SeedAndPenalties {
    /// One setting's names, and the type both APIs give it.
    struct Setting: Sendable {
        /// The pivot's name, which is Chat's.
        let name: String
        /// Gemini's name in `generationConfig` (its snake_case spelling is
        /// read too).
        let geminiName: String
        /// An integer (the seed), else any number.
        let isInteger: Bool
        /// Whether a Gemini upstream is sent it: Gemini 2.5 and later refuse
        /// any non-zero penalty with 400, so only the seed goes there.
        let sentToGemini: Bool

        /// `value` as the pivot holds it; nil when of the wrong type. A
        /// seed of 7.0 (a number typed as a float by an SDK) is 7, as both
        /// APIs take an integer.
        func pivotValue(_ value: JSONValue) -> JSONValue? {
            if isInteger { return value.intValue.map { .int(Int64($0)) } }
            // Not a ternary: JSONValue takes `nil` as a literal, which made
            // it `.null`, not no value.
            guard value.doubleValue != nil else { return nil }
            return value
        }

        var expectedType: String { isInteger ? "an integer" : "a number" }
    }

    static let settings = [
        Setting(name: "seed", geminiName: "seed", isInteger: true, sentToGemini: true),
        Setting(name: "presence_penalty", geminiName: "presencePenalty", isInteger: false, sentToGemini: false),
        Setting(name: "frequency_penalty", geminiName: "frequencyPenalty", isInteger: false, sentToGemini: false),
    ]

    /// The pivot's (and Chat's) names.
    static let names = settings.map(\.name)

    // MARK: Client dialects -> pivot

    /// Copies the settings a client sent into a pivot body: `source` is a
    /// Chat request (`dialect` `.openai`) or a Gemini `generationConfig`
    /// (`.gemini`), read in that dialect's names. A value of the wrong
    /// type is the client's error, named as the client wrote it, with
    /// `fieldPrefix` (`generationConfig.`, made only for an error) before
    /// the name.
    static func add(
        from source: JSONValue, dialect: Dialect, fieldPrefix: @autoclosure () -> String = "",
        to body: inout JSONObject
    ) throws(APIError) {
        for setting in settings {
            let name = dialect == .gemini ? setting.geminiName : setting.name
            guard let value = dialect == .gemini ? source[gemini: name] : source[name], !value.isNull else {
                continue
            }
            guard let pivot = setting.pivotValue(value) else {
                throw .invalidRequest("\(fieldPrefix())\(name) must be \(setting.expectedType), got \(value.typeName)")
            }
            body[setting.name] = pivot
        }
    }

    // MARK: Pivot -> upstream dialects

    /// Sets the pivot's settings in `target` (a Chat body, `upstream`
    /// `.openai`, or a Gemini `generationConfig`, `.gemini`) in that
    /// upstream's names. One of the wrong type (an Anthropic client's own
    /// member: the client decoders checked theirs) is dropped with a
    /// warning, not sent to draw a 400.
    static func add(
        from request: JSONObject, to target: inout JSONObject, upstream: Dialect,
        diagnostics: inout [ConversionDiagnostic]
    ) {
        for setting in settings {
            guard let value = request[setting.name], !value.isNull else { continue }
            guard let sent = setting.pivotValue(value) else {
                diagnostics.append(
                    .warning(
                        "/\(setting.name)",
                        "\(setting.name) must be \(setting.expectedType), got \(value.typeName); dropped"))
                continue
            }
            guard upstream == .gemini else {
                target[setting.name] = sent
                continue
            }
            guard setting.sentToGemini else {
                diagnostics.append(
                    .info(
                        "/\(setting.name)",
                        "\(setting.name) not sent: Gemini 2.5 and later refuse penalties with 400; dropped"))
                continue
            }
            // Gemini's integers here are 32-bit; clients draw seeds from 0..<2^32.
            guard !setting.isInteger || sent.intValue.flatMap(Int32.init(exactly:)) != nil else {
                diagnostics.append(
                    .warning("/\(setting.name)", "\(setting.name) \(sent) is outside Gemini's 32-bit range; dropped"))
                continue
            }
            target[setting.geminiName] = sent
        }
    }

    /// Takes the settings out of `body` (a pivot body) for an upstream that
    /// has none of them, a note naming each; `upstream` is its name in the
    /// note.
    static func drop(from body: inout JSONObject, upstream: String, diagnostics: inout [ConversionDiagnostic]) {
        for name in names where body[name] != nil {
            body[name] = nil
            diagnostics.append(.info("/\(name)", "\(name) has no \(upstream) equivalent; dropped"))
        }
    }
}

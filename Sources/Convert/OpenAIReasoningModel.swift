import Wire

/// OpenAI's reasoning models (o1, o3, o4-mini, gpt-5, gpt-5.1...) and the
/// sampling settings they refuse.
///
/// They answer 400 to a `temperature` or `top_p` other than 1 and a
/// `presence_penalty` or `frequency_penalty` other than 0 ("Unsupported
/// value: 'temperature' does not support 0.7 with this model. Only the
/// default (1) value is supported."; o1 and o3-mini refuse the parameter
/// itself), and to `stop` at all ("Unsupported parameter: 'stop' is not
/// supported with this model."). Claude Code and the SDKs send a
/// temperature and stop sequences freely, so on a route to such a model
/// (``RouteOptions/reasoningModel``) every one of their requests failed.
/// Now the settings are left out, each with a note, and the stop
/// sequences are applied by the proxy (``UpstreamStopSequences``).
///
/// A value at its default is left out too, with a debug note: sending it
/// changes nothing where it is taken, and o1 and o3-mini refuse the
/// parameter whatever its value.
///
/// GPT-5.1 and the gpt-5.x after it reason only when asked: with
/// `reasoning_effort: "none"` OpenAI documents that they take `temperature`
/// and `top_p` (and `logprobs`, which the proxy never drops), and refuse
/// them with any other effort, as gpt-5 does always. A request that sends
/// them that effort keeps them (``keepsSampling(_:route:)``).
public enum OpenAIReasoningModel {
    /// A sampling setting these models fix, under its name in both OpenAI
    /// request bodies, and the one value they take.
    struct FixedSetting: Sendable {
        let name: String
        let defaultValue: Int
    }

    static let fixedSettings = [
        FixedSetting(name: "temperature", defaultValue: 1),
        FixedSetting(name: "top_p", defaultValue: 1),
        FixedSetting(name: "presence_penalty", defaultValue: 0),
        FixedSetting(name: "frequency_penalty", defaultValue: 0),
    ]

    /// What GPT-5.1 and later take when their reasoning effort is `none`.
    static let takenWithoutReasoning: Set<String> = ["temperature", "top_p"]

    /// Whether `model` is GPT-5.1 or a later gpt-5.x (`gpt-5.1`,
    /// `gpt-5.2-2025-12-11`, `gpt-5.4-mini`), dated or not: the models that
    /// take ``takenWithoutReasoning`` with no reasoning. Not gpt-5 itself,
    /// nor its mini and nano, which refuse them whatever the effort.
    static func samplesWithoutReasoning(_ model: String) -> Bool {
        let parts = model.lowercased().split(separator: "-")
        guard parts.count > 1, parts[0] == "gpt", parts[1].hasPrefix("5."),
            let minor = Int(parts[1].dropFirst(2))
        else { return false }
        return minor >= 1
    }

    /// Whether `body`, an OpenAI Chat or Responses request to `route`'s
    /// reasoning model, keeps its ``takenWithoutReasoning`` settings: the
    /// model takes them with no reasoning, and the effort the request sends
    /// (`reasoning_effort`, or Responses' `reasoning.effort`, as the route's
    /// `extra_body`, merged last, leaves it) is `none`. An effort left to the
    /// model's default is not taken as none: the defaults differ by model.
    static func keepsSampling(_ body: JSONObject, route: RouteOptions) -> Bool {
        guard samplesWithoutReasoning(route.upstreamModel) else { return false }
        var sent = body
        if let extraBody = route.extraBody { sent.merge(extraBody) }
        let effort = sent["reasoning_effort"]?.stringValue ?? sent["reasoning"]?["effort"]?.stringValue
        return effort == "none"
    }

    /// Whether `model` names one of OpenAI's reasoning models, dated or
    /// not: the o-series (`o1`, `o3-mini`, `o4-mini-2025-04-16`) and the
    /// gpt-5 family (`gpt-5`, `gpt-5-mini`, `gpt-5.1-codex`), but not its
    /// chat models (`gpt-5-chat-latest`), which take the settings. The name
    /// alone decides: whose API serves it is the config's question
    /// (`reasoning_model`), as another server may call its own model `o3`.
    public static func matches(_ model: String) -> Bool {
        if isOSeries(model) { return true }
        let parts = model.lowercased().split(separator: "-")
        guard parts.first == "gpt", parts.count > 1, parts[1] == "5" || parts[1].hasPrefix("5.") else { return false }
        return !parts.dropFirst(2).contains("chat")
    }

    /// Whether `model` names one of OpenAI's chat models, which refuse a
    /// reasoning effort ("Unsupported parameter: 'reasoning_effort'"):
    /// `gpt-4`, `gpt-4o`, `gpt-4.1` and their dated and smaller forms,
    /// `gpt-3.5-turbo`, `chatgpt-4o-latest`, and the gpt-5 family's chat
    /// models (`gpt-5-chat-latest`). A name it does not know (a new family,
    /// `codex-mini-latest`, an Azure deployment's own name) is not one: its
    /// effort is sent, and a model that refuses it is named in the config.
    public static func isChatModel(_ model: String) -> Bool {
        let parts = model.lowercased().split(separator: "-")
        guard let family = parts.first else { return false }
        if family == "chatgpt" { return true }
        guard family == "gpt", parts.count > 1 else { return false }
        let version = parts[1]
        if version.hasPrefix("4") || version == "3.5" { return true }
        return (version == "5" || version.hasPrefix("5.")) && parts.dropFirst(2).contains("chat")
    }

    /// Whether `model` is one of the o-series (`o1`, `o3-mini`,
    /// `o4-mini-2025-04-16`), which on Chat Completions also refuse
    /// `parallel_tool_calls` ("Unsupported parameter: 'parallel_tool_calls'
    /// is not supported with this model"); the gpt-5 family takes it.
    static func isOSeries(_ model: String) -> Bool {
        guard let family = model.lowercased().split(separator: "-").first else { return false }
        // `o` and a number; not `omni-moderation`.
        let version = family.dropFirst()
        return family.first == "o" && !version.isEmpty && version.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Takes the settings the route's reasoning model refuses out of
    /// `body` (an OpenAI Chat or Responses request, before `extra_body`,
    /// which may still set one on purpose): a warning for a value the
    /// model would have refused, a debug note for its default. Does
    /// nothing on another route, and keeps what a GPT-5.1 or later asked
    /// for no reasoning takes (``keepsSampling(_:route:)``).
    static func leaveOutFixedSettings(
        from body: inout JSONObject, route: RouteOptions, diagnostics: inout [ConversionDiagnostic]
    ) {
        guard route.reasoningModel == true else { return }
        let kept = keepsSampling(body, route: route) ? takenWithoutReasoning : []
        for setting in fixedSettings where !kept.contains(setting.name) {
            guard let value = body[setting.name] else { continue }
            body[setting.name] = nil
            let only = "OpenAI reasoning model \(route.upstreamModel) takes only the default (\(setting.defaultValue))"
            if value.doubleValue == Double(setting.defaultValue) {
                diagnostics.append(.debug("/\(setting.name)", "\(setting.name) \(value): \(only); left out"))
            } else {
                diagnostics.append(.warning("/\(setting.name)", "\(setting.name) \(value) not sent: \(only); dropped"))
            }
        }
    }
}

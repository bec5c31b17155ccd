import Wire

// Pieces of the upstream body every builder fills the same way, so the
// dialects cannot disagree on them.
extension AnthropicRequestTranslating {
    /// The client's `top_p`, unless absent or null.
    var topP: JSONValue? {
        guard let topP = request["top_p"], !topP.isNull else { return nil }
        return topP
    }

    /// All system text (see ``allSystemTexts()``) as one string, paragraphs
    /// apart; nil when there is none, so no empty instruction is sent.
    mutating func joinedSystemText() throws(APIError) -> String? {
        let texts = try allSystemTexts()
        return texts.isEmpty ? nil : texts.joined(separator: "\n\n")
    }

    /// The finished request: untranslated fields reported, then the route's
    /// `extra_body` merged last so it can override any converted field.
    mutating func finishedRequest(_ body: JSONObject) -> ConvertedRequest {
        var body = body
        reportUntranslatedFields()
        if let extraBody = route.extraBody { body.merge(extraBody) }
        return ConvertedRequest(body: .object(body), diagnostics: diagnostics)
    }
}

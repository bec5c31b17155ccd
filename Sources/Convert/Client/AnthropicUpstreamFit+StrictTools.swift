import Wire

extension AnthropicUpstreamFit {
    /// A strict tool (an OpenAI client's `strict: true`) holds Anthropic to
    /// its schema, as it held OpenAI, where Anthropic takes it: strict tools
    /// are structured output, which Claude models older than 4.5 refuse
    /// (``AnthropicStructuredOutput/takesFormat(model:)``), so there the
    /// tool goes without `strict`; elsewhere its schema is fitted to the
    /// keywords Anthropic takes (``AnthropicStructuredOutput/fitted(_:)``).
    /// A model that is not Claude's is sent what the client asked.
    static func fitStrictTools(_ body: inout JSONObject, _ diagnostics: inout [ConversionDiagnostic]) {
        guard case .array(var tools)? = body["tools"] else { return }
        let model = body["model"]?.stringValue ?? ""
        // Not Claude's: sent what the client asked, as documented above.
        guard let takesStrict = AnthropicStructuredOutput.takesFormat(model: model) else { return }
        var changed = false
        for index in tools.indices {
            guard case .object(var tool) = tools[index], tool["strict"] == true else { continue }
            if !takesStrict {
                tool["strict"] = nil
                diagnostics.append(
                    .info(
                        "/tools/\(index)/strict",
                        "\(model) takes no strict tools (Claude 4.5 and later do); sent without"))
            } else if let schema = tool["input_schema"] {
                let (fitted, schemaChanged) = AnthropicStructuredOutput.fitted(schema)
                guard schemaChanged else { continue }
                tool["input_schema"] = fitted
                diagnostics.append(.info("/tools/\(index)/input_schema", AnthropicStructuredOutput.fittedNote))
            }
            tools[index] = .object(tool)
            changed = true
        }
        if changed { body["tools"] = .array(tools) }
    }
}

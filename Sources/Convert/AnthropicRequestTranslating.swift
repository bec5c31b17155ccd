import Wire

/// What every upstream request builder reads the same way from an Anthropic
/// request: the capped `max_tokens`, system text, tool definitions that can
/// leave Anthropic, and the diagnostics for what it drops, worded with the
/// upstream's name.
protocol AnthropicRequestTranslating {
    var request: JSONObject { get }
    var route: RouteOptions { get }
    var diagnostics: [ConversionDiagnostic] { get set }
    /// The upstream's name in diagnostics, e.g. "OpenAI Chat Completions".
    static var upstreamLabel: String { get }
    /// Top-level request fields the builder translates; any other is reported as dropped.
    static var translatedFields: Set<String> { get }
    /// Sampling settings of the pivot the upstream has no word for
    /// (OpenAI Chat's `top_k`): they change the answer, so their drop is a
    /// note naming them, where other untranslated fields are at debug.
    static var droppedSettings: Set<String> { get }
}

extension AnthropicRequestTranslating {
    static var droppedSettings: Set<String> { [] }

    /// Refuses Anthropic's `thread` (``APIError/threadUnsupported(upstream:)``):
    /// dropped, a `continue` went up as its lone new turn and was answered
    /// 200 without the conversation. Null is no thread.
    func refuseServerThread() throws(APIError) {
        guard let thread = request["thread"], !thread.isNull else { return }
        throw .threadUnsupported(upstream: Self.upstreamLabel)
    }

    mutating func cappedMaxTokens() -> Int {
        let requested = request["max_tokens"]?.intValue ?? 1
        guard let cap = route.maxTokensCap, requested > cap else { return requested }
        diagnostics.append(.info("/max_tokens", "max_tokens \(requested) capped to the route's \(cap)"))
        return cap
    }

    /// The route's temperature, else the client's.
    var temperature: JSONValue? {
        if let temperature = route.temperature { return .double(temperature) }
        if let temperature = request["temperature"], !temperature.isNull { return temperature }
        return nil
    }

    /// `metadata.user_id` as OpenAI's `user` (both OpenAI dialects); ids over
    /// 64 characters (Claude Code's is a JSON document) are replaced by a
    /// stable hash, as OpenAI limits it. Other metadata is reported dropped.
    mutating func openAIUser() -> String? {
        let maxLength = 64
        guard let metadata = request["metadata"]?.objectValue else { return nil }
        for member in metadata where member.key != "user_id" {
            diagnostics.append(
                .debug(
                    "/metadata/\(ConversionDiagnostic.pointerToken(member.key))",
                    "no \(Self.upstreamLabel) equivalent; dropped"))
        }
        guard let userID = metadata["user_id"]?.stringValue, !userID.isEmpty else { return nil }
        guard userID.count > maxLength else { return userID }
        diagnostics.append(.info("/metadata/user_id", "longer than \(maxLength) characters; sent as a stable hash"))
        return "user-" + StableHash.hex(userID.utf8)
    }

    /// The non-empty texts of a system prompt given as a string or as blocks.
    /// Other blocks of Anthropic's types are dropped with a warning; a type
    /// Anthropic does not have is refused (``refuseUnknownBlockType(_:path:)``).
    mutating func texts(ofSystem system: JSONValue, path: String) throws(APIError) -> [String] {
        if let text = system.stringValue { return text.isEmpty ? [] : [text] }
        var texts: [String] = []
        for (index, block) in (system.arrayValue ?? []).enumerated() {
            let blockPath = "\(path)/\(index)"
            reportDroppedBlockFields(block, path: blockPath)
            if block["type"]?.stringValue == "text", let text = block["text"]?.stringValue {
                if !text.isEmpty { texts.append(text) }
            } else {
                try refuseUnknownBlockType(block, path: blockPath)
                diagnostics.append(
                    .warning(blockPath, "\(block["type"]?.stringValue ?? "untyped") block in a system prompt; dropped"))
            }
        }
        return texts
    }

    /// All system text: the `system` field, then `system`-role messages
    /// (Claude Code 2.1.x puts them mid-conversation), which are reported
    /// as moved.
    mutating func allSystemTexts() throws(APIError) -> [String] {
        var texts: [String] = []
        if let system = request["system"] { texts += try self.texts(ofSystem: system, path: "/system") }
        for (index, message) in (request["messages"]?.arrayValue ?? []).enumerated()
        where message["role"]?.stringValue == "system" {
            texts += try self.texts(ofSystem: message["content"] ?? "", path: "/messages/\(index)/content")
            diagnostics.append(.info("/messages/\(index)", "system-role message moved into the system instruction"))
        }
        return texts
    }

    /// A tool definition the upstream can take as a function, or nil (and a
    /// warning) for an Anthropic server tool, which only Anthropic can run.
    /// Fields outside `translated` are reported at debug.
    mutating func functionTool(
        _ tool: JSONValue, path: String, translated: Set<String>
    ) -> (name: String, definition: JSONObject)? {
        guard case .object(let definition) = tool, let name = definition["name"]?.stringValue else { return nil }
        let type = definition["type"]?.stringValue ?? "custom"
        if type != "custom" && definition["input_schema"] == nil {
            diagnostics.append(
                .warning(
                    path,
                    "Anthropic server tool \(name) (\(type)) cannot run on a \(Self.upstreamLabel) upstream; dropped"))
            return nil
        }
        for member in definition where !translated.contains(member.key) {
            diagnostics.append(
                .debug(
                    "\(path)/\(ConversionDiagnostic.pointerToken(member.key))",
                    "no \(Self.upstreamLabel) equivalent; dropped"))
        }
        return (name, definition)
    }

    /// Drops a block the upstream has no equivalent for, with a warning.
    /// A type Anthropic's API does not have (``AnthropicBlockTypes``) is
    /// the client's mistake, refused as Anthropic refuses it: dropped, a
    /// turn of only such blocks went up empty (`"messages": []`) and was
    /// answered 200. A pass-through never gets here: Anthropic answers it.
    /// - Parameter path: the block's JSON pointer (`/messages/0/content/0`).
    mutating func reportUnsupportedBlock(_ block: JSONValue, path: String) throws(APIError) {
        try refuseUnknownBlockType(block, path: path)
        reportDroppedBlock(type: block["type"]?.stringValue ?? "untyped", path: path)
    }

    /// Refuses a block whose type Anthropic's API does not have, naming the
    /// field as Anthropic's errors do (`messages.0.content.1.type`).
    func refuseUnknownBlockType(_ block: JSONValue, path: String) throws(APIError) {
        let type = block["type"]?.stringValue ?? "untyped"
        guard !AnthropicBlockTypes.isKnown(type) else { return }
        let field = path.split(separator: "/").joined(separator: ".") + ".type"
        throw .invalidRequest("\(field): unknown content block type \"\(type)\"")
    }

    /// A block of one of Anthropic's own types, dropped with a warning.
    mutating func reportDroppedBlock(type: String, path: String) {
        diagnostics.append(.warning(path, "\(type) block has no \(Self.upstreamLabel) equivalent; dropped"))
    }

    /// `cache_control` and `citations` steer Anthropic's own features and mean
    /// nothing upstream; dropping them is expected, so only at debug.
    mutating func reportDroppedBlockFields(_ block: JSONValue, path: String) {
        for key in ["cache_control", "citations"] where block[key] != nil {
            diagnostics.append(.debug("\(path)/\(key)", "no \(Self.upstreamLabel) equivalent; dropped"))
        }
    }

    /// Top-level fields outside `translatedFields`, and `output_config`
    /// members other than `effort` and `format` (``StructuredOutput``),
    /// reported at debug; `droppedSettings` at info.
    mutating func reportUntranslatedFields() {
        for member in request where !Self.translatedFields.contains(member.key) {
            let path = "/\(ConversionDiagnostic.pointerToken(member.key))"
            if Self.droppedSettings.contains(member.key) {
                diagnostics.append(.info(path, "\(member.key) has no \(Self.upstreamLabel) equivalent; dropped"))
            } else {
                diagnostics.append(.debug(path, "no \(Self.upstreamLabel) equivalent; dropped"))
            }
        }
        if let outputConfig = request["output_config"]?.objectValue {
            for member in outputConfig where member.key != "effort" && member.key != "format" {
                diagnostics.append(
                    .debug(
                        "/output_config/\(ConversionDiagnostic.pointerToken(member.key))",
                        "no \(Self.upstreamLabel) equivalent; dropped"))
            }
        }
    }
}

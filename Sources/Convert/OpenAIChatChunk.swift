import Wire

/// What ``OpenAIChatStreamTranscoder`` takes from one Chat Completions
/// stream chunk (not an error chunk): its id, usage and the deltas of
/// choice 0.
///
/// Made from the chunk's tree (``init(_:)``), or read straight from its
/// bytes (``init(reading:)``) for a chunk whose id is known: a chunk is a
/// few hundred bytes of which the transcoder reads a handful of members,
/// and building and freeing its tree was most of what a converted stream
/// cost. Both give equal values for any chunk the reader takes; a test
/// holds them to that on every provider fixture.
struct OpenAIChatChunk: Sendable, Equatable {
    struct Choice: Sendable, Equatable {
        var delta = Delta()
        var finishReason: String?
        /// The stop sequence that ended the output, when named (see
        /// ``OpenAIChatResultMapping/matchedStopSequence(finishReason:stopReason:matchedStop:)``).
        var matchedStop: String?
    }

    struct Delta: Sendable, Equatable {
        var reasoning: String?
        var signature: String?
        var content: String?
        var refusal: String?
        var toolCalls: [ToolCallDelta] = []
    }

    struct ToolCallDelta: Sendable, Equatable {
        /// The upstream's `index`, or the call's position in its chunk
        /// (Mistral omits `index` when it sends whole calls at once).
        var index: Int
        var id: String?
        var name: String?
        /// The arguments' next fragment: `""` when there is none.
        var arguments = ""

        /// A call's `arguments` as a fragment of their text: most send a
        /// string, a few the whole object.
        static func fragment(_ arguments: JSONValue?) -> String {
            switch arguments {
            case .string(let text)?: text
            case .object(let object)?: JSONValue.object(object).serializedString()
            default: ""
            }
        }
    }

    var id: String?
    /// The chunk itself when it has no id, to derive a message id from;
    /// nil otherwise (always nil from the byte reader, which takes only
    /// chunks with an id).
    var fallbackSeed: JSONValue?
    /// Anthropic usage, when the chunk has OpenAI usage.
    var usage: JSONObject?
    /// The reasoning tokens within that usage's output, when reported.
    var reasoningTokens: Int?
    /// Whether `choices` held any choice, of whatever index.
    var hasChoices = false
    /// The choices of index 0, in order; the others are not streamed.
    var choices: [Choice] = []

    /// The members of `chunk`, read as the transcoder always read them.
    init(_ chunk: JSONValue) {
        id = chunk["id"]?.stringValue
        if id?.isEmpty ?? true { fallbackSeed = chunk }
        usage = chunk["usage"].flatMap(OpenAIChatResultMapping.anthropicUsage)
        reasoningTokens = chunk["usage"].flatMap(OpenAIChatResultMapping.reasoningTokens)
        let all = chunk["choices"]?.arrayValue ?? []
        hasChoices = !all.isEmpty
        for choice in all where (choice["index"]?.intValue ?? 0) == 0 {
            let delta = choice["delta"] ?? [:]
            let finishReason = choice["finish_reason"]?.stringValue
            let toolCalls = (delta["tool_calls"]?.arrayValue ?? []).enumerated().map { position, call in
                ToolCallDelta(
                    index: call["index"]?.intValue ?? position, id: call["id"]?.stringValue,
                    name: call["function"]?["name"]?.stringValue,
                    arguments: ToolCallDelta.fragment(call["function"]?["arguments"]))
            }
            choices.append(
                Choice(
                    delta: Delta(
                        reasoning: OpenAIChatResultMapping.reasoningText(delta),
                        signature: OpenAIChatResultMapping.reasoningSignature(details: delta["reasoning_details"]),
                        content: OpenAIChatResultMapping.contentText(delta["content"]),
                        refusal: delta["refusal"]?.stringValue, toolCalls: toolCalls),
                    finishReason: finishReason,
                    matchedStop: OpenAIChatResultMapping.matchedStopSequence(
                        finishReason: finishReason, stopReason: choice["stop_reason"]?.stringValue,
                        matchedStop: choice["matched_stop"]?.stringValue)))
        }
    }

    private init() {}

    /// The chunk `data` holds, read from its bytes; nil when `data` is not
    /// valid JSON, is an error chunk, has no id, or repeats a member read
    /// here: such chunks are left to ``init(_:)`` on their tree.
    init?(reading data: [UInt8]) {
        var reader = JSONReader(data)
        var chunk = OpenAIChatChunk()
        do {
            var seen = SeenMembers()
            var members = try reader.readObject()
            while let key = try members.next(&reader) {
                switch key {
                case "id":
                    try seen.first(0)
                    chunk.id = try reader.optionalString()
                case "usage":
                    try seen.first(1)
                    let usage = try reader.readValue()
                    chunk.usage = OpenAIChatResultMapping.anthropicUsage(usage)
                    chunk.reasoningTokens = OpenAIChatResultMapping.reasoningTokens(usage)
                case "choices":
                    try seen.first(2)
                    try chunk.readChoices(&reader)
                case "error":
                    try seen.first(3)
                    guard reader.nextKind == .null else { throw NotRead() }
                    try reader.skipValue()
                default:
                    try reader.skipValue()
                }
            }
            try reader.finish()
        } catch {
            return nil
        }
        guard let id = chunk.id, !id.isEmpty else { return nil }
        self = chunk
    }

    private mutating func readChoices(_ reader: inout JSONReader) throws {
        guard reader.nextKind == .array else { return try reader.skipValue() }
        var elements = try reader.readArray()
        while try elements.next(&reader) {
            hasChoices = true
            guard reader.nextKind == .object else { throw NotRead() }
            var seen = SeenMembers()
            var index = 0
            var choice = Choice()
            var stopReason: String?
            var matchedStop: String?
            var members = try reader.readObject()
            while let key = try members.next(&reader) {
                switch key {
                case "index":
                    try seen.first(0)
                    index = try reader.readValue().intValue ?? 0
                case "delta":
                    try seen.first(1)
                    choice.delta = try Self.readDelta(&reader)
                case "finish_reason":
                    try seen.first(2)
                    choice.finishReason = try reader.optionalString()
                case "stop_reason":
                    try seen.first(3)
                    stopReason = try reader.optionalString()
                case "matched_stop":
                    try seen.first(4)
                    matchedStop = try reader.optionalString()
                default:
                    try reader.skipValue()
                }
            }
            guard index == 0 else { continue }
            choice.matchedStop = OpenAIChatResultMapping.matchedStopSequence(
                finishReason: choice.finishReason, stopReason: stopReason, matchedStop: matchedStop)
            choices.append(choice)
        }
    }

    /// A choice's `delta`; a value that is not an object is an empty one.
    private static func readDelta(_ reader: inout JSONReader) throws -> Delta {
        var delta = Delta()
        guard reader.nextKind == .object else {
            try reader.skipValue()
            return delta
        }
        var seen = SeenMembers()
        var reasoningContent: String?
        var reasoning: String?
        var members = try reader.readObject()
        while let key = try members.next(&reader) {
            switch key {
            case "content":
                try seen.first(0)
                delta.content =
                    reader.nextKind == .string
                    ? try reader.readString() : OpenAIChatResultMapping.contentText(try reader.readValue())
            case "reasoning_content":
                try seen.first(1)
                reasoningContent = try reader.optionalString()
            case "reasoning":
                try seen.first(2)
                reasoning = try reader.optionalString()
            case "reasoning_details":
                try seen.first(3)
                delta.signature = OpenAIChatResultMapping.reasoningSignature(details: try reader.readValue())
            case "refusal":
                try seen.first(4)
                delta.refusal = try reader.optionalString()
            case "tool_calls":
                try seen.first(5)
                delta.toolCalls = try readToolCalls(&reader)
            default:
                try reader.skipValue()
            }
        }
        delta.reasoning = reasoningContent ?? reasoning
        return delta
    }

    private static func readToolCalls(_ reader: inout JSONReader) throws -> [ToolCallDelta] {
        guard reader.nextKind == .array else {
            try reader.skipValue()
            return []
        }
        var calls: [ToolCallDelta] = []
        var elements = try reader.readArray()
        while try elements.next(&reader) {
            guard reader.nextKind == .object else { throw NotRead() }
            var seen = SeenMembers()
            var call = ToolCallDelta(index: calls.count)
            var members = try reader.readObject()
            while let key = try members.next(&reader) {
                switch key {
                case "index":
                    try seen.first(0)
                    if let index = try reader.readValue().intValue { call.index = index }
                case "id":
                    try seen.first(1)
                    call.id = try reader.optionalString()
                case "function":
                    try seen.first(2)
                    try readFunction(&reader, into: &call)
                default:
                    try reader.skipValue()
                }
            }
            calls.append(call)
        }
        return calls
    }

    /// A call's `function`: its name and arguments; a value that is not an
    /// object has neither.
    private static func readFunction(_ reader: inout JSONReader, into call: inout ToolCallDelta) throws {
        guard reader.nextKind == .object else { return try reader.skipValue() }
        var seen = SeenMembers()
        var members = try reader.readObject()
        while let key = try members.next(&reader) {
            switch key {
            case "name":
                try seen.first(0)
                call.name = try reader.optionalString()
            case "arguments":
                try seen.first(1)
                call.arguments =
                    reader.nextKind == .string
                    ? try reader.readString() : ToolCallDelta.fragment(try reader.readValue())
            default:
                try reader.skipValue()
            }
        }
    }

    /// Thrown to leave a chunk to the tree: a shape read no faster here.
    private struct NotRead: Error {}

    /// The members of one object read so far: a repeated one is left to
    /// the tree, whose lookup takes the first.
    private struct SeenMembers {
        var bits = 0
        mutating func first(_ member: Int) throws {
            guard bits & (1 << member) == 0 else { throw NotRead() }
            bits |= 1 << member
        }
    }
}

extension JSONReader {
    /// The next value when it is a string; any other value is skipped and
    /// gives nil, as ``JSONValue/stringValue`` does.
    fileprivate mutating func optionalString() throws -> String? {
        guard nextKind == .string else {
            try skipValue()
            return nil
        }
        return try readString()
    }
}

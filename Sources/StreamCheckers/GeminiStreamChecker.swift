import SSE
import Wire

/// Checks that a sequence of SSE events is a valid Gemini
/// `streamGenerateContent?alt=sse` stream, as Google's SDKs read it. An
/// empty result means valid.
///
/// Rules:
/// - frames have no event name, and each is a JSON object: a chunk with
///   `candidates`, or a lone `{"error":{"code","message","status"}}`, which
///   must be the last frame;
/// - a chunk has exactly one candidate, with `index` 0, and `content` with
///   role `model` and a non-empty `parts` array (google-genai's chats take a
///   chunk without, the finishing one too, for a failed answer and leave the
///   turn out of the history they send next);
/// - a part has exactly one of `text` (a string), `functionCall` (a string
///   `name` and an object `args`) or `inlineData`; `thought` is a boolean;
/// - exactly one chunk has a `finishReason`, the last chunk (a stream that
///   ends in an error frame may have none); it carries `usageMetadata` with
///   integer prompt, candidates and total counts;
/// - `responseId` and `modelVersion` are strings, the same in every chunk.
public enum GeminiStreamChecker {
    public static func violations(in events: [SSEEvent]) -> [String] {
        var problems: [String] = []
        var finishIndex: [Int] = []
        var chunkIndexes: [Int] = []
        var responseIDs: Set<String> = []
        var models: Set<String> = []
        var errorIndex: Int?
        if events.isEmpty { problems.append("the stream is empty") }
        for (index, event) in events.enumerated() {
            func report(_ message: String) { problems.append("frame \(index): \(message)") }
            if errorIndex != nil { report("a frame follows the error frame") }
            if let name = event.event { report("has event name \(name); Gemini frames have none") }
            guard let payload = try? JSONValue(parsing: event.data), let object = payload.objectValue else {
                report("data is not a JSON object")
                continue
            }
            if let error = object["error"] {
                errorIndex = index
                if object.count != 1 { report("an error frame has members besides error") }
                if error["code"]?.intValue == nil || error["message"]?.stringValue == nil
                    || error["status"]?.stringValue == nil
                {
                    report("error lacks an integer code, a string message or a string status")
                }
                continue
            }
            chunkIndexes.append(index)
            responseIDs.insert(object["responseId"]?.stringValue ?? "<missing>")
            models.insert(object["modelVersion"]?.stringValue ?? "<missing>")
            guard let candidates = object["candidates"]?.arrayValue, candidates.count == 1 else {
                report("needs exactly one candidate")
                continue
            }
            let candidate = candidates[0]
            if candidate["index"]?.intValue != 0 { report("the candidate's index is not 0") }
            if let content = candidate["content"] {
                problems += contentViolations(content, frame: index)
            } else {
                report("the candidate has no content")
            }
            if candidate["finishReason"] != nil {
                finishIndex.append(index)
                if candidate["finishReason"]?.stringValue == nil { report("finishReason is not a string") }
                let usage = object["usageMetadata"]
                for key in ["promptTokenCount", "candidatesTokenCount", "totalTokenCount"]
                where usage?[key]?.intValue == nil {
                    report("the finishing chunk's usageMetadata lacks an integer \(key)")
                }
            }
        }
        if responseIDs.count > 1 { problems.append("responseId changes: \(responseIDs.sorted())") }
        if models.count > 1 { problems.append("modelVersion changes: \(models.sorted())") }
        if responseIDs.contains("<missing>") { problems.append("a chunk has no string responseId") }
        if models.contains("<missing>") { problems.append("a chunk has no string modelVersion") }
        if finishIndex.count > 1 { problems.append("finishReason in \(finishIndex.count) chunks") }
        if finishIndex.isEmpty && errorIndex == nil { problems.append("no chunk has a finishReason") }
        if let last = finishIndex.last, last != chunkIndexes.last {
            problems.append("frame \(last): the finishing chunk is not the last chunk")
        }
        return problems
    }

    private static func contentViolations(_ content: JSONValue, frame: Int) -> [String] {
        var problems: [String] = []
        func report(_ message: String) { problems.append("frame \(frame): \(message)") }
        if content["role"]?.stringValue != "model" { report("content's role is not model") }
        guard let parts = content["parts"]?.arrayValue, !parts.isEmpty else {
            report("content has no parts, or empty or non-array parts")
            return problems
        }
        for (index, part) in parts.enumerated() {
            let kinds = ["text", "functionCall", "inlineData"].filter { part[$0] != nil }
            // A signature-only thought carries no data: the proxy's (text
            // "" there made google-genai before 1.60 drop the whole turn).
            let signatureOnly =
                kinds.isEmpty && part["thought"]?.boolValue == true
                && part["thoughtSignature"]?.stringValue?.isEmpty == false
            guard kinds.count == 1 || signatureOnly else {
                report("part \(index) has \(kinds.count) of text, functionCall, inlineData")
                continue
            }
            if part["text"] != nil, part["text"]?.stringValue == nil { report("part \(index)'s text is not a string") }
            if let call = part["functionCall"], call["name"]?.stringValue == nil || call["args"]?.objectValue == nil {
                report("part \(index)'s functionCall lacks a string name or an object args")
            }
            if let thought = part["thought"], thought.boolValue == nil {
                report("part \(index)'s thought is not a boolean")
            }
        }
        return problems
    }
}

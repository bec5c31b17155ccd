import Wire

/// Thought signatures Gemini did not write, taken out of a Gemini client's
/// request before it is passed through to a Gemini upstream.
///
/// A Gemini client that an earlier route served through the pivot (an
/// Anthropic or OpenAI upstream) holds that provider's signatures behind
/// `pivot:` (``GeminiClientMapping/thoughtSignature(fromThinking:)``) and
/// sends them back; when its session then reaches a Gemini route, Gemini
/// would be given signatures it cannot verify. They are treated as the
/// converted request treats them (``GeminiRequestBuilder``):
/// - a thought part carrying one is another provider's reasoning: dropped
///   (and a turn left with no parts with it);
/// - on any other part, only the signature goes;
/// - in a turn that had one, the first function call left without a
///   signature gets Google's placeholder
///   (``GeminiThoughtSignature/validatorBypass``): Gemini 3 refuses the
///   turn otherwise, and the call was another model's.
enum GeminiForeignSignatures {
    /// ``GeminiClientMapping/pivotPrefix`` in base64. The prefix is six
    /// bytes, two whole groups, so every signature made with it starts with
    /// these eight characters (`cGl2b3Q6`), in either alphabet, whatever
    /// follows: compared as they are, no signature is decoded.
    static let encodedPivotPrefix = Base64.encode(Array(GeminiClientMapping.pivotPrefix.utf8))

    /// Takes the signatures Gemini did not write out of `body`, a Gemini
    /// request, with a note for each; when it has none (the usual case,
    /// looked for without copying anything) the body is untouched, so its
    /// `contents` still go up as the client's bytes.
    static func drop(from body: inout JSONObject) -> [ConversionDiagnostic] {
        guard case .array(let contents)? = body["contents"], contents.contains(where: hasForeignSignature) else {
            return []
        }
        var diagnostics: [ConversionDiagnostic] = []
        var kept: [JSONValue] = []
        kept.reserveCapacity(contents.count)
        for (index, content) in contents.enumerated() {
            guard hasForeignSignature(content), case .object(var turn) = content,
                case .array(let parts)? = turn["parts"]
            else {
                kept.append(content)
                continue
            }
            let path = "/contents/\(index)"
            var keptParts = strippedParts(parts, path: path, diagnostics: &diagnostics)
            if keptParts.isEmpty {
                diagnostics.append(.info(path, "turn with nothing Gemini can take; left out"))
                continue
            }
            addPlaceholderToFirstCall(&keptParts, path: path, diagnostics: &diagnostics)
            turn["parts"] = .array(keptParts)
            kept.append(.object(turn))
        }
        body["contents"] = .array(kept)
        return diagnostics
    }

    /// `parts` without another provider's thoughts, and with no other
    /// part carrying its signature.
    private static func strippedParts(
        _ parts: [JSONValue], path: String, diagnostics: inout [ConversionDiagnostic]
    ) -> [JSONValue] {
        var kept: [JSONValue] = []
        for (index, part) in parts.enumerated() {
            guard isForeign(part), case .object(var object) = part else {
                kept.append(part)
                continue
            }
            let partPath = "\(path)/parts/\(index)"
            if object["thought"]?.boolValue == true {
                diagnostics.append(.info(partPath, "thinking from another provider is not sent to Gemini; dropped"))
                continue
            }
            // Both spellings: the camelCase one is read first, the other would be left behind.
            object.removeValue(forKey: "thoughtSignature")
            object.removeValue(forKey: "thought_signature")
            diagnostics.append(
                .info(partPath, "a thought signature from another provider is not sent to Gemini; removed"))
            kept.append(.object(object))
        }
        return kept
    }

    private static func addPlaceholderToFirstCall(
        _ parts: inout [JSONValue], path: String, diagnostics: inout [ConversionDiagnostic]
    ) {
        guard let first = parts.firstIndex(where: { $0[gemini: "functionCall"] != nil }),
            parts[first][gemini: "thoughtSignature"] == nil
        else { return }
        parts[first]["thoughtSignature"] = .string(GeminiThoughtSignature.validatorBypass)
        diagnostics.append(
            .info(path, "function call without a Gemini thought signature; sent with Google's placeholder signature"))
    }

    private static func hasForeignSignature(_ content: JSONValue) -> Bool {
        content["parts"]?.arrayValue?.contains(where: isForeign) == true
    }

    /// Whether `part`'s signature is one this proxy gave a Gemini client
    /// for another provider's (base64, or the plain prefix it wrote before).
    private static func isForeign(_ part: JSONValue) -> Bool {
        guard let signature = part[gemini: "thoughtSignature"]?.stringValue else { return false }
        return signature.utf8.starts(with: encodedPivotPrefix.utf8)
            || signature.utf8.starts(with: GeminiClientMapping.pivotPrefix.utf8)
    }
}

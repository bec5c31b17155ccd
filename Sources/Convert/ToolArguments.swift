import Wire

/// Parses an OpenAI tool call's `arguments` string into the JSON object
/// Anthropic's `tool_use.input` must be.
enum ToolArguments {
    /// The key that holds arguments that are not a JSON object, so nothing
    /// is lost and the client's input validation reports the bad call to the
    /// model instead of the whole response failing.
    static let unparsedKey = "_unparsed_arguments"

    /// The input object, and whether the arguments had to be wrapped.
    static func input(from arguments: String) -> (input: JSONValue, wrapped: Bool) {
        if arguments.allSatisfy(\.isWhitespace) { return ([:], false) }
        switch try? JSONValue(parsing: arguments) {
        case .object(let object)?: return (.object(object), false)
        case .null?: return ([:], false)
        default: return ([unparsedKey: .string(arguments)], true)
        }
    }
}

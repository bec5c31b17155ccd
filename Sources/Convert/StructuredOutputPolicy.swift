/// What a route does with a client's structured output (an answer held to
/// JSON, or to a JSON Schema) on its way to an upstream of another dialect:
/// the config's `structured_output`. See ``StructuredOutputFit``.
public enum StructuredOutputPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// In the upstream's own words, with the rules that keep a request the
    /// upstream takes from being refused. The default; named on a route, it
    /// also sends where the proxy only guesses the model refuses (a Gemini
    /// request with tools, an older Claude model).
    case send
    /// JSON mode only, the schema asked for in the system prompt: for
    /// OpenAI-compatible upstreams that take `json_object` and not
    /// `json_schema` (DeepSeek).
    case jsonObject = "json_object"
    /// Not sent, with a warning: the client gets free text.
    case drop
}

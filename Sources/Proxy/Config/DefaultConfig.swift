import Foundation

/// Where `models.yaml` lives when `--config` is not given, and the commented
/// starting config written there on the first run.
public enum DefaultConfig {
    /// `$XDG_CONFIG_HOME/switchboard/models.yaml`, else
    /// `$HOME/.config/switchboard/models.yaml`.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (XDGBaseDirectory.switchboardConfig(environment: environment) as NSString)
            .appendingPathComponent("models.yaml")
    }

    /// The error for a config file that is not there: how to make one.
    /// - Parameter given: whether the path was given (`--config`, or a
    ///   command's argument) rather than the default.
    public static func missing(at path: String, given: Bool) -> ConfigError {
        ConfigError(
            file: path, problem: "there is no config file here",
            fix: given
                ? "Check the path, or run `proxy config init --config \(path)` to write the commented default there."
                : "Run `proxy config init` to write the commented default (`proxy serve` also writes it on first run).")
    }

    /// What ``write(to:force:)`` did.
    public enum WriteOutcome: Sendable, Hashable {
        /// There was no file; there is now.
        case created
        /// A file was there and `force` replaced it.
        case replaced
        /// A file was there and was left alone.
        case keptExisting
    }

    /// Writes ``text`` to `path` unless a file is already there.
    /// - Returns: true when the file was created.
    @discardableResult
    public static func writeIfMissing(at path: String) throws(ConfigError) -> Bool {
        try write(to: path, force: false) == .created
    }

    /// Writes ``text`` to `path`, creating its directory; an existing file is
    /// replaced only when `force` is set. Written as a ``PrivateFile`` (0600,
    /// a directory it creates 0700): the comments tell the user to put keys
    /// in it, and a file anyone may read would show them to every account.
    public static func write(to path: String, force: Bool) throws(ConfigError) -> WriteOutcome {
        let existed = FileManager.default.fileExists(atPath: path)
        guard !existed || force else { return .keptExisting }
        do {
            try PrivateFile.write(Data(text.utf8), to: path)
            return existed ? .replaced : .created
        } catch {
            throw ConfigError(
                file: path, problem: "cannot write the default config (\(error.description))",
                fix: "Create the directory yourself, or pass --config PATH to a config you wrote.")
        }
    }

    /// A config that works with no edits: every model goes to Anthropic with
    /// the client's own key. The comments are the reference for each field.
    public static let text = """
        # Switchboard model routes. `proxy serve` reads this file at start-up.
        #
        # A client asks for a `model`; the proxy picks an entry by, in order:
        #   1. the entry whose `model_id` equals it exactly;
        #   2. the most specific glob alias that matches it, the one with the
        #      most literal characters (`claude-*haiku*` beats `claude-*`); ties
        #      go to the first in the file, entries' own `aliases` before the
        #      top-level `aliases` map (`*` is any run of characters, `?` one);
        #   3. the top-level `default`, when set.
        # Anything else is a 404 that lists the configured ids.
        #
        # Fields of an entry:
        #   model_id          the name clients send as `model` (required)
        #   model_name        the upstream's own name for the model (required);
        #                     "*" sends the client's model name unchanged
        #   api_base          the upstream's base URL (required). The proxy calls
        #                       openai            {api_base}/chat/completions
        #                       openai-responses  {api_base}/responses
        #                       gemini            {api_base}/models/{model_name}:generateContent,
        #                                         or :streamGenerateContent?alt=sse when
        #                                         the client streams
        #                       anthropic         {api_base}/v1/messages ({api_base}/messages
        #                                         when api_base ends in /v1)
        #                     A query (Azure's ?api-version=...) is kept; a key is not
        #                     allowed there: use api_key
        #   format            the upstream's API (required): openai (Chat Completions
        #                     and compatible APIs) | openai-responses (Responses) |
        #                     gemini (generateContent) | anthropic (Messages)
        #   api_key           a literal key or ${ENV_VAR}; when absent, the client's
        #                     own x-api-key or bearer token is passed on. Sent as
        #                     Authorization: Bearer (openai, openai-responses),
        #                     x-goog-api-key (gemini) or x-api-key (anthropic); a
        #                     Claude subscription token (sk-ant-oat...) to anthropic
        #                     goes as Authorization: Bearer with its OAuth beta
        #   auth              bearer | x-api-key | api-key: send the key so instead
        #                     (default api-key for openai formats on Azure hosts)
        #   max_tokens        caps the client's max_tokens: 8192, 8K (=8,000), 1M.
        #                     A converted client that sets none gets 4096
        #                     (OpenAI Chat, Responses) or 8192 (Gemini)
        #   context           the context window, same sizes (Ki/Mi for 1024-based);
        #                     max_tokens is lowered so the input estimate plus the
        #                     output fits, and an input that alone does not fit gets
        #                     413 request_too_large (Claude Code then compacts)
        #   extra_headers     headers sent upstream; values may use ${ENV_VAR}
        #   extra_body        fields merged into every upstream request body
        #   reasoning_effort  low | medium | high: overrides the client's thinking;
        #                     minimal: no thinking (the client's settings are removed)
        #   temperature       overrides the client's temperature
        #   timeout           how long the upstream may stay silent (before its
        #                     answer starts, and between two chunks): 600, 30s, 10m
        #                     (default 600 seconds)
        #   max_stream_duration  how long a streamed answer may run in all before
        #                     the proxy ends it with an error event (default 1h)
        #   aliases           glob patterns of client model names this entry serves
        #   fallback          model ids tried in turn when this entry answers 429 or
        #                     5xx or cannot be reached, before the answer starts
        #                     (a retry-after up to 2 s is waited first)
        #   can_stream        false: the upstream is called without streaming; a
        #                     streaming client gets a stream made from the whole answer
        #   structured_output send | json_object | drop: what becomes of a client's
        #                     JSON mode or schema on a route of another API (default
        #                     send; json_object: JSON mode, the schema in the system
        #                     prompt, for DeepSeek and the like; drop: free text)
        #   max_tokens_field  max_tokens | max_completion_tokens: the field a format
        #                     openai upstream gets the output cap in (default
        #                     max_completion_tokens for api.openai.com, whose
        #                     reasoning models refuse max_tokens; else max_tokens)
        #   reasoning_model   true: the upstream is an OpenAI reasoning model (o3,
        #                     gpt-5): no temperature, top_p, penalties or stop
        #                     sequences are sent, the proxy applies the stop
        #                     sequences (default: true for such a model_name on
        #                     api.openai.com or Azure, false elsewhere)
        #   reasoning_content true | false: a format openai upstream gets each
        #                     assistant turn's thinking back as reasoning_content,
        #                     which DeepSeek and Kimi thinking models need in tool
        #                     loops (default true for api.deepseek.com and
        #                     api.moonshot.ai/.cn; else false)
        #   chat_server       mistral: a format openai upstream with Mistral's
        #                     rules (nine-character tool ids, no user or
        #                     stream_options, seed as random_seed); default for
        #                     api.mistral.ai and codestral.mistral.ai
        #   max_input_tokens, direct (true: format anthropic), provider, api_key_name:
        #                     read as in tizee/anthropic-proxy's models.yaml, which
        #                     loads as it is (a top-level list; format and model_name
        #                     default as there: see the README)

        default: claude

        models:
          # Everything not matched below goes to Anthropic as asked for:
          - model_id: claude
            model_name: "*"
            api_base: https://api.anthropic.com
            format: anthropic

          # An OpenAI-compatible provider for Claude Code's small, fast model:
          # - model_id: fast
          #   model_name: gpt-4o-mini
          #   api_base: https://api.openai.com/v1
          #   format: openai
          #   api_key: ${OPENAI_API_KEY}
          #   max_tokens: 16K
          #   aliases: ["claude-*haiku*"]

          # DeepSeek (reasoning_content becomes thinking blocks):
          # - model_id: deepseek
          #   model_name: deepseek-chat
          #   api_base: https://api.deepseek.com/v1
          #   format: openai
          #   api_key: ${DEEPSEEK_API_KEY}
          #   max_tokens: 8K
          #   context: 64K

          # OpenAI's Responses API (reasoning models keep their encrypted
          # reasoning across turns):
          # - model_id: gpt5
          #   model_name: gpt-5-mini
          #   api_base: https://api.openai.com/v1
          #   format: openai-responses
          #   api_key: ${OPENAI_API_KEY}

          # Gemini (thought signatures kept across turns):
          # - model_id: gemini
          #   model_name: gemini-2.5-flash
          #   api_base: https://generativelanguage.googleapis.com/v1beta
          #   format: gemini
          #   api_key: ${GEMINI_API_KEY}
          #   max_tokens: 64K

          # A local server (Ollama, llama.cpp, vLLM):
          # - model_id: local
          #   model_name: qwen2.5-coder:7b
          #   api_base: http://127.0.0.1:11434/v1
          #   format: openai
          #   timeout: 20m

        # Top-level aliases, tried after the entries' own:
        # aliases:
        #   "claude-*haiku*": fast

        # Scenario routing, before the model name (the first that applies):
        # router:
        #   long_context: gemini         # input estimate above the threshold
        #   long_context_threshold: 60K
        #   image: gemini                # an image in the last user turn
        #   web_search: claude           # Anthropic's web search server tool in the request
        #   think: deepseek              # thinking enabled
        #   background: fast             # Claude Code's small-model calls (`haiku` names)

        """
}

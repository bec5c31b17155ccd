/// A `models.yaml` as tizee/anthropic-proxy's README and default template
/// write it (their examples: OpenAI-compatible and `direct` Anthropic-
/// compatible entries, reasoning-effort variants, a subscription entry), to
/// check that such a file loads as it is. Its older example's `api_key_name`
/// is there too: `api_key: ${OPENROUTER_API_KEY}`, so loading it needs
/// ``environment``.
enum TizeeModelsFixture {
    /// The variable its `api_key_name` names.
    static let environment = ["OPENROUTER_API_KEY": "sk-or-fixture-key"]

    static let yaml = """
        # Required fields: model_id, api_base
        # Optional fields: model_name, api_key, can_stream, max_tokens, max_input_tokens,
        #                  context, extra_headers, extra_body, direct, reasoning_effort, temperature
        # reasoning_effort supports: minimal, low, medium, high (minimal = no thinking)
        # direct: true for Anthropic-compatible APIs, false for OpenAI-compatible

        - model_id: deepseek-chat
          model_name: deepseek-chat
          api_base: https://api.deepseek.com/v1
          direct: false
          can_stream: true
          max_tokens: 8K
          context: 128K

        - model_id: claude-3-5-sonnet-direct
          model_name: claude-3-5-sonnet-20241022
          api_base: https://api.anthropic.com
          direct: true
          can_stream: true
          max_tokens: 8K
          max_input_tokens: 200K

        - model_id: kimi-k2-direct
          model_name: kimi-k2-0711-preview
          api_base: https://api.moonshot.cn/anthropic
          direct: true
          max_tokens: 16k
          max_input_tokens: 200k

        - model_id: doubao-seed-1-8-nothinking
          model_name: doubao-seed-1-8-251228
          api_base: "https://ark.cn-beijing.volces.com/api/v3"
          reasoning_effort: "minimal"

        - model_id: doubao-seed-1-8-high
          model_name: doubao-seed-1-8-251228
          api_base: "https://ark.cn-beijing.volces.com/api/v3"
          reasoning_effort: "high"

        - model_id: gemini-2.5-pro
          model_name: google/gemini-2.5-pro-preview
          api_base: "https://openrouter.ai/api/v1"
          api_key_name: OPENROUTER_API_KEY
          can_stream: false
          max_tokens: 66K
          reasoning_effort: null
          extra_headers:
            HTTP-Referer: "https://localhost:8082"
            X-Title: "Claude Code"
          extra_body:
            temperature: 0.7
            top_p: 0.95

        - model_id: example-model
          api_base: https://api.openai.com/v1
          format: openai
          max_tokens: 16K
          context: 128K

        - model_id: codex/gpt-5.2-codex
          provider: codex
          reasoning_effort: high
          max_tokens: 32K

        """
}

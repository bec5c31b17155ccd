#!/usr/bin/env python3
"""Writes a `proxy serve` models.yaml for the test and benchmark scripts: the one place that
knows the config's shape, so the scripts follow it when it changes.

    models_yaml.py --route 'e2e,openai,http://127.0.0.1:PORT/v1,fake-model,${KEY_VAR},claude-*' [--route ...]

Each route: model_id, format (openai|anthropic|gemini|openai-responses, or `provider:NAME` for a subscription
login's entry: `provider: NAME`, no format, api_base or key), api_base, the upstream's model_name, api_key (a
literal or `${ENV_VAR}`; empty: none, the client's key is passed on), then optional glob aliases
(`claude-*`; several separated by `;`). The proxy calls {api_base}/chat/completions for openai,
{api_base}/v1/messages for anthropic, {api_base}/models/MODEL:generateContent (or
:streamGenerateContent) for gemini and {api_base}/responses for openai-responses.
"""

import argparse
import sys

FORMATS = ("openai", "anthropic", "gemini", "openai-responses")


def models_yaml(routes: list[tuple], comment: str = "") -> str:
    """routes: (model_id, format, api_base, model_name, api_key[, [alias globs]])."""
    lines = [f"# {comment}"] if comment else []
    lines.append("models:")
    for model_id, fmt, api_base, model_name, api_key, *rest in routes:
        lines += [f"  - model_id: {quote(model_id)}", f"    model_name: {quote(model_name)}"]
        if fmt.startswith("provider:"):
            lines.append(f"    provider: {fmt.split(':', 1)[1]}")
        else:
            lines += [f"    api_base: {quote(api_base)}", f"    format: {fmt}"]
        if api_key:
            lines.append(f"    api_key: {quote(api_key)}")
        aliases = rest[0] if rest else []
        if aliases:
            lines.append(f"    aliases: [{', '.join(quote(alias) for alias in aliases)}]")
    return "\n".join(lines) + "\n"


def quote(value: str) -> str:
    # Double-quoted YAML scalars: globs (`*`) and `${...}` must not be read as YAML syntax.
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--route", action="append", required=True, help="model_id,format,api_base,model_name,api_key[,glob;glob]"
    )
    parser.add_argument("--comment", default="Written by a Switchboard test script.")
    args = parser.parse_args()
    routes = []
    for spec in args.route:
        parts = spec.split(",")
        if len(parts) not in (5, 6) or (parts[1] not in FORMATS and not parts[1].startswith("provider:")):
            parser.error(f"bad --route {spec!r}: want model_id,{'|'.join(FORMATS)},api_base,model_name,api_key[,globs]")
        aliases = [alias for alias in parts[5].split(";") if alias] if len(parts) == 6 else []
        routes.append((*parts[:5], aliases))
    sys.stdout.write(models_yaml(routes, args.comment))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes a `proxy serve` models.yaml for the test and benchmark scripts: the one place that
knows the config's shape, so the scripts follow it when it changes.

    models_yaml.py --route 'claude-*,openai,http://127.0.0.1:PORT/v1,fake-model,${KEY_VAR}' [--route ...]

Each route: model_id (a glob alias is fine), format (openai|anthropic), api_base, the upstream's
model_name, api_key (a literal or `${ENV_VAR}`; empty: none, the client's key is passed on).
"""

import argparse
import sys


def models_yaml(routes: list[tuple[str, str, str, str, str]], comment: str = "") -> str:
    lines = [f"# {comment}"] if comment else []
    lines.append("models:")
    for model_id, fmt, api_base, model_name, api_key in routes:
        lines += [
            f"  - model_id: {quote(model_id)}",
            f"    model_name: {quote(model_name)}",
            f"    api_base: {quote(api_base)}",
            f"    format: {fmt}",
        ]
        if api_key:
            lines.append(f"    api_key: {quote(api_key)}")
    return "\n".join(lines) + "\n"


def quote(value: str) -> str:
    # Double-quoted YAML scalars: globs (`*`) and `${...}` must not be read as YAML syntax.
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--route", action="append", required=True, help="model_id,format,api_base,model_name,api_key")
    parser.add_argument("--comment", default="Written by a Switchboard test script.")
    args = parser.parse_args()
    routes = []
    for spec in args.route:
        parts = spec.split(",")
        if len(parts) != 5 or parts[1] not in ("openai", "anthropic"):
            parser.error(f"bad --route {spec!r}: want model_id,openai|anthropic,api_base,model_name,api_key")
        routes.append(tuple(parts))
    sys.stdout.write(models_yaml(routes, args.comment))
    return 0


if __name__ == "__main__":
    sys.exit(main())

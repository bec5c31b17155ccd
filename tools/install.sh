#!/usr/bin/env bash
# Installs release builds of all three commands the README uses (proxy,
# log-replay, stub-upstream) into ~/.local/bin, or into the directory given
# as the first argument or $PREFIX/bin, creating it when missing.
#   bash tools/install.sh                 # ~/.local/bin
#   bash tools/install.sh /usr/local/bin
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-${PREFIX:+$PREFIX/bin}}"
target="${target:-$HOME/.local/bin}"
bash tools/setup.sh --no-venv || echo "install: tools/setup.sh failed; building anyway" >&2
products=(proxy log-replay stub-upstream)
# Built as tools/release-build.sh says why: static, no run-time exclusivity checks.
bin="$(bash tools/release-build.sh "${products[@]}")" || { echo "install: the release build failed" >&2; exit 1; }
mkdir -p "$target"
for product in "${products[@]}"; do
    install -m 0755 "$bin/$product" "$target/$product"
done
echo "Installed ${products[*]} into $target"
case ":$PATH:" in
    *":$target:"*) ;;
    *) echo "Note: $target is not on your PATH; add it, e.g. echo 'export PATH=\"$target:\$PATH\"' >> ~/.bashrc" ;;
esac

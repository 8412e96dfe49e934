#!/usr/bin/env bash
# Regenerates completions/ from each command's option table (a test checks they match).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -q
bin=$(swift build --show-bin-path)
for tool in icloudpd immich-batch immich-scan immich-stack immich-fav immich-album immich-trash photos-sandbox; do
    "$bin/$tool" --completions bash > "completions/bash/$tool"
    "$bin/$tool" --completions zsh > "completions/zsh/_$tool"
    "$bin/$tool" --completions fish > "completions/fish/$tool.fish"
done
echo "completions updated"

#!/usr/bin/env bash
# Regenerates man/man1/ from each command's option table (`COMMAND --man-page`, the source of
# --help too); a test checks they match and that `man -l` renders each without warnings.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -q
bin=$(swift build --show-bin-path)
mkdir -p man/man1
for tool in icloudpd immich-batch immich-scan immich-stack immich-fav immich-album immich-trash photos-sandbox; do
    "$bin/$tool" --man-page > "man/man1/$tool.1"
done
echo "man pages updated"

#!/usr/bin/env bash
# The README's first command: build, then run the main job — icloudpd downloading an iCloud
# library and registering it in Immich with --plugin immich (stacks, favourites, albums, live
# links) — and show what Immich now holds.
#
# Without settings it runs against the built-in sandbox servers (a fake iCloud with a generated
# library and a fake Immich). For real servers set ICLOUD_USERNAME (password from
# ICLOUD_PASSWORD or a prompt), IMMICH_SERVER_URL, IMMICH_API_KEY, IMMICH_LIBRARY_ID and
# DEMO_DIRECTORY (a folder inside the library's import path).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-system-packages.sh
echo "==> building (swift build)" >&2
swift build -q
bin=$(swift build --show-bin-path)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/" <<<"$2"; }

if [ -z "${IMMICH_SERVER_URL:-}" ]; then
    directory="$work/photos/icloud"
    mkdir -p "$directory"
    coproc SANDBOX { exec "$bin/photos-sandbox" --import-path "$work/photos" --icloud --icloud-no-2fa --icloud-importable-names --icloud-photos 40 \
        --scan-duration-ms 300 --auto-link-live --exit-on-stdin-eof; }
    read -r info <&"${SANDBOX[0]}"
    IMMICH_SERVER_URL=$(field immich "$info"); IMMICH_API_KEY=$(field apiKey "$info"); IMMICH_LIBRARY_ID=$(field libraryId "$info")
    ICLOUD_USERNAME=$(field username "$info"); ICLOUD_PASSWORD=$(field password "$info")
    for variable in ICLOUDPD_AUTH_ENDPOINT ICLOUDPD_AUTH_ROOT_ENDPOINT ICLOUDPD_SETUP_ENDPOINT ICLOUDPD_HOME_ENDPOINT; do
        export "$variable=$(field "$variable" "$info")"
    done
    echo "==> sandbox iCloud (40 photos) and sandbox Immich at $IMMICH_SERVER_URL, library import path $work/photos" >&2
    sandbox=1
else
    directory=${DEMO_DIRECTORY:?set DEMO_DIRECTORY to a folder inside the Immich library import path}
    : "${ICLOUD_USERNAME:?set ICLOUD_USERNAME}"
    sandbox=0
fi
export IMMICH_SERVER_URL IMMICH_API_KEY IMMICH_LIBRARY_ID ICLOUD_PASSWORD

echo "==> icloudpd --plugin immich (sizes original, medium, adjusted; stack; favourite adjusted; albums; live links)" >&2
"$bin/icloudpd" --username "$ICLOUD_USERNAME" --directory "$directory" --cookie-directory "$work/cookies" \
    --size original --size medium --size adjusted --log-level info --no-progress-bar \
    --plugin immich --immich-stack-media --immich-favorite adjusted --associate-live-with-extra-sizes \
    --immich-album "[adjusted]:iCloud/{:%Y/%m}" --immich-album "[medium]:iCloud JPG" \
    --immich-batch-process 10 --immich-batch-log-file "$work/pending.json" --immich-poll-interval 0.3 \
    || status=$?
echo "==> icloudpd exited ${status:-0} (5 = some photos kept in the journal for the next run; each has a WARNING line above)" >&2

if [ "$sandbox" = 1 ]; then
    echo "==> Immich now holds:" >&2
    curl -s "$IMMICH_SERVER_URL/_sandbox/summary" | sed 's/^/  /'
    exec {SANDBOX[1]}>&-
fi
exit "${status:-0}"

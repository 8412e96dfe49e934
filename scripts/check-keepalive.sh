#!/usr/bin/env bash
# The Real-World Example of the icloudpd Immich plugin (three sizes, stacks, favourites, live
# links, three albums, batches of 10) over PHOTOS photos, with every Immich request going through
# an independent keep-alive HTTP/1.1 server (scripts/keepalive-proxy.py on Python's http.server,
# idle connections closed after IDLE s) in front of the sandbox Immich. Prints the requests the
# proxy saw, the slowest, and how many took over 2 s (must be 0), and checks the run ended.
# BIN=<folder of binaries> runs another build's (e.g. an older commit's .build/release).
# Usage: [BIN=DIR] scripts/check-keepalive.sh [PHOTOS=150] [IDLE=5]
set -euo pipefail
cd "$(dirname "$0")/.."
photos=${1:-150}
idle=${2:-5}
if [ -z "${BIN:-}" ]; then swift build -q; fi
bin=${BIN:-$(swift build --show-bin-path)}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/" <<<"$2"; }

mkdir -p "$work/photos/icloud"
coproc SANDBOX { exec "$bin/photos-sandbox" --import-path "$work/photos" --scan-duration-ms 200 --auto-link-live \
    --icloud --icloud-no-2fa --icloud-photos "$photos" --exit-on-stdin-eof; }
read -r info <&"${SANDBOX[0]}"
immich=$(field immich "$info"); icloud=$(grep -o '"url":"[^"]*"' <<<"$info" | head -1 | cut -d'"' -f4)
python3 scripts/keepalive-proxy.py --upstream "$immich" --idle "$idle" > "$work/proxy" &
until grep -q PORT "$work/proxy" 2>/dev/null; do sleep 0.1; done
port=$(awk '/PORT/ {print $2}' "$work/proxy")
proxy="http://127.0.0.1:$port"

start=$(date +%s.%N)
status=0
ICLOUDPD_AUTH_ROOT_ENDPOINT="$icloud" ICLOUDPD_AUTH_ENDPOINT="$icloud/appleauth/auth" \
ICLOUDPD_SETUP_ENDPOINT="$icloud/setup/ws/1" ICLOUDPD_HOME_ENDPOINT="$icloud" TZ=UTC \
ICLOUD_PASSWORD=$(field password "$info") IMMICH_API_KEY=$(field apiKey "$info") \
"$bin/icloudpd" --directory "$work/photos/icloud" --cookie-directory "$work/cookies" \
    --username "$(field username "$info")" --folder-structure none --set-exif-datetime --until-found 1000 \
    --keep-unicode-in-filenames --file-match-policy name-id7 --size original --size medium --size adjusted \
    --log-level info --no-progress-bar --xmp-sidecar --favorite-to-rating 1 \
    --plugin immich --immich-server-url "$proxy" --immich-library-id "$(field libraryId "$info")" \
    --immich-stack-media --immich-favorite adjusted --process-existing-favorites --associate-live-with-extra-sizes \
    --immich-scan-timeout 60.0 --immich-poll-interval 1.0 --immich-batch-process 10 \
    --immich-batch-log-file "$work/pending.json" \
    --immich-album "[adjusted]:iCloud" --immich-album "[medium]:iCloud JPG" --immich-album "[original]:iCloud Raw" \
    > "$work/out" 2> "$work/log" || status=$?
end=$(date +%s.%N)
stats=$(curl -s "$proxy/__proxy/stats")
echo "Real-World Example, $photos photos, Immich behind Python's http.server (keep-alive, idle close after ${idle} s)"
echo "exit status $status, wall $(printf '%.1f' "$(echo "$end - $start" | bc)") s; proxy: $stats"
tail -2 "$work/log"
over=$(grep -o '"over_2s": [0-9]*' <<<"$stats" | grep -o '[0-9]*$')
[ "$status" = 0 ] || [ "$status" = 5 ]
[ "$over" = 0 ]

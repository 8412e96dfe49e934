#!/usr/bin/env bash
# Benchmark of the whole job: the icloudpd Immich plugin's "Real-World Example" (icloudpd --plugin immich with
# three sizes, stack, favourite adjusted, live links, three albums, batches of 10) over PHOTOS
# photos, with 20 ms latency on both sandbox servers, release build. Medians over RUNS runs of
# wall time, requests per photo to Immich (all, and per endpoint family), scans, requests to
# iCloud, and the peak RSS of the largest process. A second run of the same command follows
# each first run: it must download nothing and change nothing in Immich.
# With BASELINE_BIN=<folder of another build's binaries> (e.g. an older commit's
# .build/release), each run is repeated with those binaries, interleaved, and both are reported.
# Usage: [BASELINE_BIN=DIR] scripts/bench-plugin.sh [PHOTOS=2000] [RUNS=3] [EXTRA icloudpd options…]
set -euo pipefail
cd "$(dirname "$0")/.."
photos=${1:-2000}
runs=${2:-3}
shift $(( $# > 2 ? 2 : $# )) || true
extra=("$@")
latency_ms=20

for product in icloudpd immich-batch immich-scan immich-stack immich-fav immich-album photos-sandbox; do
    swift build -c release -q --product "$product"
done
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/" <<<"$2"; }
count() { local n; n=$(grep -o "\"$1\":[0-9]*" <<<"$2" | head -1 | cut -d: -f2); echo "${n:-0}"; }
sum_prefix() { local n; n=$(grep -o "\"$1[^\"]*\":[0-9]*" <<<"$2" | cut -d: -f2 | paste -sd+ | bc); echo "${n:-0}"; }

run_once() { # $1 = folder of binaries → "wall_s immich_requests scans icloud_requests rss_kb second_mutations second_downloads"
    local tools=$1
    rm -rf "$work/photos" "$work/cookies" "$work/pending.json"*
    mkdir -p "$work/photos/icloud"
    coproc SANDBOX { exec "$bin/photos-sandbox" --import-path "$work/photos" --latency-ms $latency_ms --scan-duration-ms 500 \
        --auto-link-live --icloud --icloud-no-2fa --icloud-photos "$photos" --icloud-latency-ms $latency_ms --exit-on-stdin-eof; }
    local info
    read -r info <&"${SANDBOX[0]}"
    local immich icloud
    immich=$(field immich "$info"); icloud=$(grep -o '"url":"[^"]*"' <<<"$info" | head -1 | cut -d'"' -f4)
    local command=("$tools/icloudpd" --directory "$work/photos/icloud" --cookie-directory "$work/cookies"
        --username "$(field username "$info")" --folder-structure none --set-exif-datetime --until-found 1000
        --keep-unicode-in-filenames --file-match-policy name-id7 --size original --size medium --size adjusted
        --log-level info --no-progress-bar --xmp-sidecar --favorite-to-rating 1
        --plugin immich --immich-server-url "$immich" --immich-library-id "$(field libraryId "$info")"
        --immich-stack-media --immich-favorite adjusted --process-existing-favorites --associate-live-with-extra-sizes
        --immich-scan-timeout 60.0 --immich-poll-interval 1.0 --immich-batch-process 10
        --immich-batch-log-file "$work/pending.json"
        --immich-album "[adjusted]:iCloud" --immich-album "[medium]:iCloud JPG" --immich-album "[original]:iCloud Raw" "${extra[@]}")
    export ICLOUD_PASSWORD IMMICH_API_KEY
    ICLOUD_PASSWORD=$(field password "$info"); IMMICH_API_KEY=$(field apiKey "$info")
    local env=(ICLOUDPD_AUTH_ROOT_ENDPOINT="$icloud" ICLOUDPD_AUTH_ENDPOINT="$icloud/appleauth/auth"
        ICLOUDPD_SETUP_ENDPOINT="$icloud/setup/ws/1" ICLOUDPD_HOME_ENDPOINT="$icloud" TZ=UTC)
    local start end
    start=$(date +%s.%N)
    env "${env[@]}" /usr/bin/time -f '%M' -o "$work/rss" "${command[@]}" > "$work/out" 2> "$work/log" \
        || { [ $? = 5 ] || { echo "icloudpd failed:" >&2; tail -5 "$work/log" >&2; }; }
    end=$(date +%s.%N)
    local counts icloud_total
    counts=$(curl -s "$immich/_sandbox/counts")
    icloud_total=$(curl -s "$icloud/_sandbox/counts" | grep -o '"total":[0-9]*' | cut -d: -f2)
    curl -s -X POST "$immich/_sandbox/reset-counts" > /dev/null
    env "${env[@]}" "${command[@]}" > "$work/out2" 2> "$work/log2" || true
    local second second_downloads
    second=$(curl -s "$immich/_sandbox/counts")
    second_downloads=$(grep -c "Downloaded " "$work/log2" || true)
    exec {SANDBOX[1]}>&-
    wait "$SANDBOX_PID" 2>/dev/null || true
    local mutations=$(( $(sum_prefix "POST /api/stacks" "$second") + $(sum_prefix "PUT " "$second") + $(sum_prefix "POST /api/albums" "$second") + $(sum_prefix "POST /api/libraries" "$second") ))
    echo "$(echo "$end - $start" | bc) $(count total "$counts") $(count 'POST /api/libraries/{id}/scan' "$counts") ${icloud_total:-0} $(cat "$work/rss") $mutations $second_downloads"
}

echo "plugin benchmark: the icloudpd Immich plugin's Real-World Example, $photos photos × 3 sizes, ${latency_ms} ms latency on both sandbox servers, $runs runs (medians)"
: > "$work/results"; : > "$work/baseline"
for _ in $(seq 1 "$runs"); do
    run_once "$bin" >> "$work/results"
    if [ -n "${BASELINE_BIN:-}" ]; then run_once "$BASELINE_BIN" >> "$work/baseline"; fi
done
report() { # results-file
    col() { awk "{print \$$1}" "$2" | median; }
    printf 'wall time                     %8.2f s\n' "$(col 1 "$1")"
    printf 'Immich requests per photo     %8.3f\n' "$(echo "$(col 2 "$1") / $photos" | bc -l)"
    printf 'library scans                 %8d\n' "$(col 3 "$1")"
    printf 'iCloud requests               %8d\n' "$(col 4 "$1")"
    printf 'peak RSS, largest process     %8.1f MB\n' "$(echo "$(col 5 "$1") / 1024" | bc -l)"
    printf 'second run: Immich mutations  %8d\n' "$(col 6 "$1")"
    printf 'second run: downloads         %8d\n' "$(col 7 "$1")"
}
echo "— this build ($bin)"
report "$work/results"
if [ -n "${BASELINE_BIN:-}" ]; then
    echo "— baseline ($BASELINE_BIN)"
    report "$work/baseline"
    awk '{print $1}' "$work/results" | median > "$work/a"; awk '{print $1}' "$work/baseline" | median > "$work/b"
    echo "wall time ratio, baseline / this build: $(echo "scale=2; $(cat "$work/b") / $(cat "$work/a")" | bc)"
fi

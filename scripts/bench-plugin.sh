#!/usr/bin/env bash
# Benchmark of the whole job: the icloudpd Immich plugin's "Real-World Example" (icloudpd --plugin immich with
# three sizes, stack, favourite adjusted, live links, three albums, batches of 10) over PHOTOS
# photos, with 20 ms latency on both sandbox servers, release build. Each run first times the
# same download without --plugin (a fresh folder, same servers), then the plugin run, then a
# second plugin run that must download nothing and change nothing in Immich.
# Medians over RUNS runs of:
#   end-to-end time, download-only time and their ratio;
#   immich-scan's per-batch time: median of its first 20 and of its last 20 batches;
#   Immich requests per photo, search results returned per photo, library scans;
#   peak RSS of icloudpd and of each Immich step (each step logs its own);
#   second run: Immich mutations and downloads.
# Environment: IMMICH_VERSION (sandbox mode, default 2.5.6), FOLDERS (none | date, default none:
# --folder-structure none; date: icloudpd's default date folders), KEEP_LOG (a file to keep the
# last plugin run's log in, and its Immich request counts in KEEP_LOG.counts).
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
version=${IMMICH_VERSION:-2.5.6}
folders=${FOLDERS:-none}
steps=(immich-batch immich-scan immich-stack immich-fav immich-album)

for product in icloudpd "${steps[@]}" photos-sandbox; do
    swift build -c release -q --product "$product"
done
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print 0; else print a[int((NR+1)/2)]}'; }
field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/" <<<"$2"; }
count() { local n; n=$(grep -o "\"$1\":[0-9]*" <<<"$2" | head -1 | cut -d: -f2); echo "${n:-0}"; }
sum_prefix() { local n; n=$(grep -o "\"$1[^\"]*\":[0-9]*" <<<"$2" | cut -d: -f2 | paste -sd+ | bc); echo "${n:-0}"; }
step_rss() { # log step → the step's peak RSS in kB (the largest of its lines), 0 if absent
    local kb
    kb=$(grep -o "\[$2\] .*peak RSS [0-9.]* MB" "$1" | sed -E 's/.*peak RSS ([0-9.]+) MB/\1/' | sort -n | tail -1)
    [ -n "$kb" ] && echo "$kb * 1024 / 1" | bc || echo 0
}

# $1 = folder of binaries → "wall_s download_only_s immich_requests scans icloud_requests rss_kb second_mutations
#    second_downloads search_results first20_s last20_s batches rss_batch rss_scan rss_stack rss_fav rss_album"
run_once() {
    local tools=$1
    rm -rf "$work/photos" "$work/dl" "$work/cookies" "$work/cookies-dl" "$work/pending.json"*
    mkdir -p "$work/photos/icloud" "$work/dl"
    coproc SANDBOX { exec "$bin/photos-sandbox" --import-path "$work/photos" --latency-ms $latency_ms --scan-duration-ms 500 \
        --immich-version "$version" --auto-link-live --icloud --icloud-no-2fa --icloud-photos "$photos" \
        --icloud-latency-ms $latency_ms --exit-on-stdin-eof; }
    local info
    read -r info <&"${SANDBOX[0]}"
    local immich icloud
    immich=$(field immich "$info"); icloud=$(grep -o '"url":"[^"]*"' <<<"$info" | head -1 | cut -d'"' -f4)
    local layout=()
    [ "$folders" = none ] && layout=(--folder-structure none)
    local download=(--username "$(field username "$info")" "${layout[@]}" --set-exif-datetime --until-found 1000
        --keep-unicode-in-filenames --file-match-policy name-id7 --size original --size medium --size adjusted
        --log-level info --no-progress-bar --xmp-sidecar --favorite-to-rating 1)
    local plugin=(--plugin immich --immich-server-url "$immich" --immich-library-id "$(field libraryId "$info")"
        --immich-stack-media --immich-favorite adjusted --process-existing-favorites --associate-live-with-extra-sizes
        --immich-scan-timeout 60.0 --immich-poll-interval 1.0 --immich-batch-process 10
        --immich-batch-log-file "$work/pending.json"
        --immich-album "[adjusted]:iCloud" --immich-album "[medium]:iCloud JPG" --immich-album "[original]:iCloud Raw")
    local command=("$tools/icloudpd" --directory "$work/photos/icloud" --cookie-directory "$work/cookies" "${download[@]}" "${plugin[@]}" "${extra[@]}")
    export ICLOUD_PASSWORD IMMICH_API_KEY
    ICLOUD_PASSWORD=$(field password "$info"); IMMICH_API_KEY=$(field apiKey "$info")
    local env=(ICLOUDPD_AUTH_ROOT_ENDPOINT="$icloud" ICLOUDPD_AUTH_ENDPOINT="$icloud/appleauth/auth"
        ICLOUDPD_SETUP_ENDPOINT="$icloud/setup/ws/1" ICLOUDPD_HOME_ENDPOINT="$icloud" TZ=UTC)

    # The same download without the plugin, outside the library's import path.
    local start end download_only
    start=$(date +%s.%N)
    env "${env[@]}" "$tools/icloudpd" --directory "$work/dl" --cookie-directory "$work/cookies-dl" "${download[@]}" "${extra[@]}" \
        > /dev/null 2> "$work/log-dl" || { echo "download-only run failed:" >&2; tail -5 "$work/log-dl" >&2; }
    end=$(date +%s.%N)
    download_only=$(echo "$end - $start" | bc)
    rm -rf "$work/dl"
    curl -s -X POST "$immich/_sandbox/reset-counts" > /dev/null

    start=$(date +%s.%N)
    env "${env[@]}" /usr/bin/time -f '%M' -o "$work/rss" "${command[@]}" > "$work/out" 2> "$work/log" \
        || { [ $? = 5 ] || { echo "icloudpd failed:" >&2; tail -5 "$work/log" >&2; }; }
    end=$(date +%s.%N)
    [ -n "${KEEP_LOG:-}" ] && cp "$work/log" "$KEEP_LOG"
    local counts icloud_total
    counts=$(curl -s "$immich/_sandbox/counts")
    [ -n "${KEEP_LOG:-}" ] && echo "$counts" > "$KEEP_LOG.counts"
    icloud_total=$(curl -s "$icloud/_sandbox/counts" | grep -o '"total":[0-9]*' | cut -d: -f2)
    curl -s -X POST "$immich/_sandbox/reset-counts" > /dev/null
    env "${env[@]}" "${command[@]}" > "$work/out2" 2> "$work/log2" || true
    local second second_downloads
    second=$(curl -s "$immich/_sandbox/counts")
    second_downloads=$(grep -c "Downloaded " "$work/log2" || true)
    exec {SANDBOX[1]}>&-
    wait "$SANDBOX_PID" 2>/dev/null || true
    local mutations=$(( $(sum_prefix "POST /api/stacks" "$second") + $(sum_prefix "PUT " "$second") + $(sum_prefix "POST /api/albums" "$second") + $(sum_prefix "POST /api/libraries" "$second") ))
    # immich-scan logs "batch N: … (S s)" per batch.
    grep -o '\[immich-scan\] batch [0-9]*: .*([0-9.]* s)' "$work/log" | sed -E 's/.*\(([0-9.]+) s\)$/\1/' > "$work/batches"
    local batches first20 last20
    batches=$(wc -l < "$work/batches")
    first20=$(head -20 "$work/batches" | median)
    last20=$(tail -20 "$work/batches" | median)
    local rss_steps=""
    for step in "${steps[@]}"; do rss_steps+=" $(step_rss "$work/log" "$step")"; done
    echo "$(echo "$end - $start" | bc) $download_only $(count total "$counts") $(count 'POST /api/libraries/{id}/scan' "$counts") ${icloud_total:-0} $(cat "$work/rss") $mutations $second_downloads $(count searchResults "$counts") $first20 $last20 $batches$rss_steps"
}

echo "plugin benchmark: the icloudpd Immich plugin's Real-World Example, $photos photos × 3 sizes, folders: $folders, Immich $version, ${latency_ms} ms latency on both sandbox servers, $runs runs (medians)"
: > "$work/results"; : > "$work/baseline"
for _ in $(seq 1 "$runs"); do
    run_once "$bin" >> "$work/results"
    if [ -n "${BASELINE_BIN:-}" ]; then run_once "$BASELINE_BIN" >> "$work/baseline"; fi
done
report() { # results-file
    col() { awk "{print \$$1}" "$2" | median; }
    printf 'end to end                    %8.2f s\n' "$(col 1 "$1")"
    printf 'download only                 %8.2f s\n' "$(col 2 "$1")"
    printf 'end to end / download only    %8.2f\n' "$(echo "$(col 1 "$1") / $(col 2 "$1")" | bc -l)"
    printf 'scan batches                  %8d\n' "$(col 12 "$1")"
    printf 'scan batch, first 20 median   %8.3f s\n' "$(col 10 "$1")"
    printf 'scan batch, last 20 median    %8.3f s\n' "$(col 11 "$1")"
    printf 'Immich requests per photo     %8.3f\n' "$(echo "$(col 3 "$1") / $photos" | bc -l)"
    printf 'search results per photo      %8.2f\n' "$(echo "$(col 9 "$1") / $photos" | bc -l)"
    printf 'library scans                 %8d\n' "$(col 4 "$1")"
    printf 'iCloud requests               %8d\n' "$(col 5 "$1")"
    printf 'peak RSS, icloudpd (largest)  %8.1f MB\n' "$(echo "$(col 6 "$1") / 1024" | bc -l)"
    local column=13 step
    for step in "${steps[@]}"; do
        printf 'peak RSS, %-19s %8.1f MB\n' "$step" "$(echo "$(col $column "$1") / 1024" | bc -l)"
        column=$((column + 1))
    done
    printf 'second run: Immich mutations  %8d\n' "$(col 7 "$1")"
    printf 'second run: downloads         %8d\n' "$(col 8 "$1")"
}
echo "— this build ($bin)"
report "$work/results"
if [ -n "${BASELINE_BIN:-}" ]; then
    echo "— baseline ($BASELINE_BIN; steps that log no peak RSS show 0)"
    report "$work/baseline"
    awk '{print $1}' "$work/results" | median > "$work/a"; awk '{print $1}' "$work/baseline" | median > "$work/b"
    echo "end-to-end ratio, baseline / this build: $(echo "scale=2; $(cat "$work/b") / $(cat "$work/a")" | bc)"
fi

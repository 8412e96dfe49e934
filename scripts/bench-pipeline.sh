#!/usr/bin/env bash
# Benchmark of the whole Immich pipeline: 1,000 photos × 3 sizes through
#   immich-batch N | immich-scan | immich-stack | immich-fav adjusted | immich-album RULE | immich-batch --commit
# against photos-sandbox (release build, 5 ms latency per request). Every third photo is an
# iCloud favourite; ten photos a day in day folders, in date order as icloudpd writes them
# (100 days, four months); one monthly album rule.
# Reports medians over RUNS runs of: wall time, requests per photo (all, and per step), scans,
# and the peak RSS of the largest process; then the same input again, which must change nothing.
# Usage: scripts/bench-pipeline.sh [PHOTOS=1000] [BATCH=100] [RUNS=3] [IMMICH_VERSION=2.5.6]
set -euo pipefail
cd "$(dirname "$0")/.."
photos=${1:-1000}
batch=${2:-100}
runs=${3:-3}
version=${4:-2.5.6}
latency_ms=5
rule='[adjusted]:iCloud/{:%Y/%m}'

for product in immich-batch immich-scan immich-stack immich-fav immich-album photos-sandbox; do
    swift build -c release -q --product "$product"
done
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

make_records() { # writes the files of every photo, prints the records
    local i month day dir fav
    for i in $(seq 1 "$photos"); do
        month=$(( (i / 10) / 28 + 1 )); day=$(( (i / 10) % 28 + 1 ))
        dir="$work/photos/2024/$(printf %02d "$month")/$(printf %02d "$day")"
        [ -d "$dir" ] || mkdir -p "$dir"
        : > "$dir/IMG_$i.HEIC"; : > "$dir/IMG_$i-medium.JPG"; : > "$dir/IMG_$i-adjusted.JPG"
        fav=false; [ $(( i % 3 )) -eq 0 ] && fav=true
        printf '{"type":"photo","id":"bench-%d","created":"2024-%02d-%02dT12:00:00+02:00","favorite":%s,"files":{"original":{"path":"%s","status":"downloaded"},"medium":{"path":"%s","status":"downloaded"},"adjusted":{"path":"%s","status":"downloaded"}}}\n' \
            "$i" "$month" "$day" "$fav" "$dir/IMG_$i.HEIC" "$dir/IMG_$i-medium.JPG" "$dir/IMG_$i-adjusted.JPG"
    done
}

count() { # counts-json key → number
    local n
    n=$(jq -r --arg k "$2" '.[$k] // 0' <<<"$1")
    echo "${n:-0}"
}

pipeline() { # url key lib → runs the pipeline once on records.ndjson, prints "wall_s peak_rss_kb"
    local start end
    start=$(date +%s.%N)
    IMMICH_SERVER_URL=$1 IMMICH_API_KEY=$2 IMMICH_LIBRARY_ID=$3 /usr/bin/time -f '%M' -o "$work/rss" bash -c \
        "'$bin/immich-batch' $batch --log '$work/journal.json' < '$work/records.ndjson' \
         | '$bin/immich-scan' --poll-interval 0.25 --scan-timeout 60 --log-level warning \
         | '$bin/immich-stack' --log-level warning \
         | '$bin/immich-fav' adjusted --log-level warning \
         | '$bin/immich-album' '$rule' --log-level warning \
         | '$bin/immich-batch' --commit --log '$work/journal.json' --log-level warning" > "$work/summary.json"
    end=$(date +%s.%N)
    echo "$(echo "$end - $start" | bc) $(cat "$work/rss")"
}

run_once() { # → "wall total/ph scan/ph stack/ph fav/ph album/ph scans rss_kb rerun_mutations rerun_wall errors"
    rm -rf "$work/photos" "$work/journal.json"*
    mkdir -p "$work/photos"
    make_records > "$work/records.ndjson"
    coproc SANDBOX { exec "$bin/photos-sandbox" --import-path "$work/photos" --immich-version "$version" --latency-ms $latency_ms --scan-duration-ms 200 --exit-on-stdin-eof; }
    read -r info <&"${SANDBOX[0]}"
    local url key lib
    url=$(jq -r .immich <<<"$info"); key=$(jq -r .apiKey <<<"$info"); lib=$(jq -r .libraryId <<<"$info")
    read -r wall rss < <(pipeline "$url" "$key" "$lib")
    local counts errors
    counts=$(curl -s "$url/_sandbox/counts")
    errors=$(jq -r '.errors' "$work/summary.json" 2>/dev/null || echo "?")
    local total search scan stacks fav albums
    total=$(count "$counts" total)
    search=$(count "$counts" "POST /api/search/metadata")
    scan=$(count "$counts" "POST /api/libraries/{id}/scan")
    stacks=$(( $(count "$counts" "POST /api/stacks") + $(count "$counts" "GET /api/stacks") + $(count "$counts" "PUT /api/stacks/{id}") ))
    fav=$(count "$counts" "PUT /api/assets")
    albums=$(( $(count "$counts" "GET /api/albums") + $(count "$counts" "POST /api/albums") + $(count "$counts" "PUT /api/albums/{id}/assets") + $(count "$counts" "GET /api/albums/{id}") ))
    # Same input again (every record was committed, so feed the records themselves again).
    curl -s -X POST "$url/_sandbox/reset-counts" > /dev/null
    rm -f "$work/journal.json"*
    read -r rerun_wall _ < <(pipeline "$url" "$key" "$lib")
    local mutations
    mutations=$(curl -s "$url/_sandbox/counts" | jq '[to_entries[] | select(.key != "total" and (.key | startswith("GET ") | not) and .key != "POST /api/search/metadata") | .value] | add // 0')
    exec {SANDBOX[1]}>&-
    wait "$SANDBOX_PID" 2>/dev/null || true
    per() { echo "scale=3; $1 / $photos" | bc; }
    echo "$wall $(per "$total") $(per "$search") $(per "$stacks") $(per "$fav") $(per "$albums") $scan $rss $mutations $rerun_wall $errors"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "pipeline benchmark: $photos photos × 3 sizes, batch $batch, Immich $version, sandbox latency ${latency_ms} ms, $runs runs (medians)"
echo "steps: scan | stack (all sizes) | fav adjusted | album '$rule'"
: > "$work/results"
for _ in $(seq 1 "$runs"); do run_once >> "$work/results"; done
col() { cut -d' ' -f"$1" "$work/results" | median; }
printf '%-28s %s\n' "wall time (s)" "$(col 1)" \
    "requests per photo" "$(col 2)" \
    "  searches per photo" "$(col 3)" \
    "  stack requests per photo" "$(col 4)" \
    "  favourite PUTs per photo" "$(col 5)" \
    "  album requests per photo" "$(col 6)" \
    "library scans" "$(col 7)" \
    "peak RSS, largest process (MB)" "$(echo "scale=1; $(col 8) / 1024" | bc)" \
    "records with errors" "$(col 11)" \
    "second run: mutating calls" "$(col 9)" \
    "second run: wall time (s)" "$(col 10)"

#!/usr/bin/env bash
# Benchmark: register 1,000 photos × 3 sizes in the sandbox Immich (5 ms latency per request)
# through `immich-batch N | immich-scan | immich-batch --commit`, release build.
# Reports medians over RUNS runs of: wall time, requests per photo (lookup + scan, and all),
# scans, and the peak RSS of the largest process. Two scenarios:
#   existing     all files are on disk before the run (one scan registers them all)
#   progressive  each photo's files are written just before its record, as icloudpd does
# Usage: scripts/bench-scan.sh [PHOTOS=1000] [BATCH=100] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
photos=${1:-1000}
batch=${2:-100}
runs=${3:-3}
latency_ms=5

swift build -c release -q --product immich-scan
swift build -c release -q --product immich-batch
swift build -c release -q --product photos-sandbox
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# One record per photo; files in one folder per day, 30 days.
make_photo() { # index → writes the 3 files, prints the record
    local i=$1 day=$(( ($1 - 1) * 30 / photos + 1 ))  # consecutive photos share a day folder, as in icloudpd's layout
    local dir="$work/photos/2024/06/$(printf %02d "$day")"
    [ -d "$dir" ] || mkdir -p "$dir"
    printf 'original %d' "$i" > "$dir/IMG_$i.HEIC"
    printf 'medium %d' "$i" > "$dir/IMG_$i-medium.JPG"
    printf 'adjusted %d' "$i" > "$dir/IMG_$i-adjusted.JPG"
    printf '{"type":"photo","id":"bench-%d","created":"2024-06-%02dT12:00:00+02:00","favorite":false,"files":{"original":{"path":"%s","status":"downloaded"},"medium":{"path":"%s","status":"downloaded"},"adjusted":{"path":"%s","status":"downloaded"}}}\n' \
        "$i" "$day" "$dir/IMG_$i.HEIC" "$dir/IMG_$i-medium.JPG" "$dir/IMG_$i-adjusted.JPG"
}
export -f make_photo
export work photos

run_once() { # scenario → prints "wall_s lookup_scan_requests total_requests scans peak_rss_kb registered"
    local scenario=$1
    rm -rf "$work/photos" "$work/journal.json"*
    mkdir -p "$work/photos"
    if [ "$scenario" = existing ]; then
        for i in $(seq 1 "$photos"); do make_photo "$i"; done > "$work/records.ndjson"
        feeder="cat $work/records.ndjson"
    else
        feeder="bash -c 'for i in \$(seq 1 $photos); do make_photo \$i; done'"
    fi
    coproc SANDBOX { exec "$bin/photos-sandbox" --import-path "$work/photos" --latency-ms $latency_ms --scan-duration-ms 200 --exit-on-stdin-eof; }
    read -r info <&"${SANDBOX[0]}"
    local url key lib
    url=$(sed -E 's/.*"immich":"([^"]+)".*/\1/' <<<"$info")
    key=$(sed -E 's/.*"apiKey":"([^"]+)".*/\1/' <<<"$info")
    lib=$(sed -E 's/.*"libraryId":"([^"]+)".*/\1/' <<<"$info")
    local start end
    start=$(date +%s.%N)
    IMMICH_SERVER_URL=$url IMMICH_API_KEY=$key IMMICH_LIBRARY_ID=$lib /usr/bin/time -f '%M' -o "$work/rss" bash -c \
        "$feeder | '$bin/immich-batch' $batch --log '$work/journal.json' | '$bin/immich-scan' --poll-interval 0.25 --scan-timeout 60 --log-level warning | '$bin/immich-batch' --commit --log '$work/journal.json' --log-level warning" > "$work/summary.json"
    end=$(date +%s.%N)
    local counts
    counts=$(curl -s "$url/_sandbox/counts")
    local search scan total
    search=$(grep -o '"POST /api/search/metadata":[0-9]*' <<<"$counts" | cut -d: -f2); search=${search:-0}
    scan=$(grep -o '"POST /api/libraries/{id}/scan":[0-9]*' <<<"$counts" | cut -d: -f2); scan=${scan:-0}
    total=$(grep -o '"total":[0-9]*' <<<"$counts" | cut -d: -f2)
    local registered
    registered=$(grep -o '"filesRegistered":[0-9]*' "$work/summary.json" | cut -d: -f2)
    exec {SANDBOX[1]}>&-
    wait "$SANDBOX_PID" 2>/dev/null || true
    echo "$(echo "$end - $start" | bc) $((search + scan)) $total $scan $(cat "$work/rss") $registered"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "immich-scan benchmark: $photos photos × 3 sizes, batch $batch, sandbox latency ${latency_ms} ms, $runs runs (medians)"
printf '%-12s %9s %14s %14s %6s %12s %11s\n' scenario wall_s lookup+scan/ph all_req/ph scans peak_rss_MB registered
for scenario in existing progressive; do
    : > "$work/results"
    for _ in $(seq 1 "$runs"); do run_once "$scenario" >> "$work/results"; done
    wall=$(cut -d' ' -f1 "$work/results" | median)
    ls=$(cut -d' ' -f2 "$work/results" | median)
    all=$(cut -d' ' -f3 "$work/results" | median)
    scans=$(cut -d' ' -f4 "$work/results" | median)
    rss=$(cut -d' ' -f5 "$work/results" | median)
    reg=$(cut -d' ' -f6 "$work/results" | median)
    printf '%-12s %9.2f %14.3f %14.3f %6s %12.1f %11s\n' "$scenario" "$wall" "$(echo "$ls / $photos" | bc -l)" \
        "$(echo "$all / $photos" | bc -l)" "$scans" "$(echo "$rss / 1024" | bc -l)" "$reg"
done
echo "reference (the icloudpd Immich plugin, icloudpd PR #1302): 1 scan per photo and at least 3 searches per photo = ≥ 4 lookup+scan requests per photo"

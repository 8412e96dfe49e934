#!/usr/bin/env bash
# Benchmark: icloudpd's change check against a full listing. The sandbox iCloud holds PHOTOS
# photos (small files); a first run downloads them all and stores the change token (no
# latency, untimed). Then, with LATENCY_MS per request, release build, medians over RUNS runs:
#   - a rerun with nothing changed (changes/database, at most changes/zone),
#   - a rerun with --full-listing (records/query page by page, every file "already exists").
# Reported: wall time of the whole process (sign-in with the saved session included), CloudKit
# requests (/database/…) and all requests, content downloads.
# Usage: scripts/bench-incremental.sh [PHOTOS=20000] [RUNS=3] [LATENCY_MS=20]
set -euo pipefail
cd "$(dirname "$0")/.."
photos=${1:-20000}
runs=${2:-3}
latency_ms=${3:-20}

swift build -c release -q --product icloudpd
swift build -c release -q --product photos-sandbox
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

coproc SANDBOX { exec "$bin/photos-sandbox" --icloud --icloud-no-2fa --icloud-photos "$photos" --icloud-size-scale 0.02 --exit-on-stdin-eof; }
read -r info <&"${SANDBOX[0]}"
url=$(grep -o '"url":"[^"]*"' <<<"$info" | head -1 | cut -d'"' -f4)
user=$(sed -E 's/.*"username":"([^"]+)".*/\1/' <<<"$info")
pass=$(sed -E 's/.*"password":"([^"]+)".*/\1/' <<<"$info")

icloudpd() {
    ICLOUDPD_AUTH_ROOT_ENDPOINT=$url ICLOUDPD_AUTH_ENDPOINT=$url/appleauth/auth ICLOUDPD_SETUP_ENDPOINT=$url/setup/ws/1 \
    ICLOUDPD_HOME_ENDPOINT=$url ICLOUD_PASSWORD=$pass TZ=UTC \
        "$bin/icloudpd" -u "$user" -d "$work/photos" --cookie-directory "$work/cookies" --no-progress-bar "$@"
}

sum_counts() { # pattern → sum of the sandbox's request counts whose key matches
    curl -s "$url/_sandbox/counts" | grep -o "\"[A-Z]* [^\"]*\":[0-9]*" | grep -E "$1" | awk -F: '{s+=$NF} END {print s+0}'
}

echo "setting up: first run over $photos photos (no latency)..."
start=$(date +%s.%N)
icloudpd --log-level error > "$work/setup.log" 2>&1 || { echo "setup run failed:" >&2; tail -5 "$work/setup.log" >&2; exit 1; }
echo "  first run: $(echo "$(date +%s.%N) - $start" | bc | xargs printf '%.1f') s, $(find "$work/photos" -type f | wc -l) files"
curl -s "$url/_sandbox/latency?ms=$latency_ms" > /dev/null

# extra args… → "wall_s cloudkit_requests all_requests content_gets"
run_once() {
    curl -s "$url/_sandbox/reset-counts" > /dev/null
    local start end
    start=$(date +%s.%N)
    icloudpd --log-level info "$@" > "$work/log" 2>&1 || { echo "icloudpd failed:" >&2; tail -5 "$work/log" >&2; }
    end=$(date +%s.%N)
    echo "$(echo "$end - $start" | bc) $(sum_counts ' /database/') $(sum_counts '.') $(sum_counts 'GET /content')"
}

report() { # label results-file
    printf '%-40s wall %6.2f s   CloudKit requests %5d   all requests %5d   downloads %d\n' "$1" \
        "$(awk '{print $1}' "$2" | median)" "$(awk '{print $2}' "$2" | median)" \
        "$(awk '{print $3}' "$2" | median)" "$(awk '{print $4}' "$2" | median)"
}

: > "$work/check"; : > "$work/full"
for _ in $(seq 1 "$runs"); do run_once >> "$work/check"; done
for _ in $(seq 1 "$runs"); do run_once --full-listing >> "$work/full"; done
echo "$photos photos, ${latency_ms} ms latency per request (medians of $runs):"
report "no-change rerun (change token)" "$work/check"
report "rerun with --full-listing" "$work/full"
echo "(wall time includes process start and the sign-in with the saved session: 1 request)"

#!/usr/bin/env bash
# Benchmark: icloudpd downloading PHOTOS photos × 3 sizes (original, medium, adjusted) from the
# sandbox iCloud with 20 ms latency per request, release build. Medians over RUNS runs of wall
# time, peak RSS and requests, for --threads-num 8 (default) and --threads-num 1 (sequential,
# like icloudpd). Then peak RSS with BIG photos, same settings (memory must stay flat).
# Usage: scripts/bench-download.sh [PHOTOS=2000] [RUNS=3] [BIG=20000]
set -euo pipefail
cd "$(dirname "$0")/.."
photos=${1:-2000}
runs=${2:-3}
big=${3:-20000}
latency_ms=20

swift build -c release -q --product icloudpd
swift build -c release -q --product photos-sandbox
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

run_number=0
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# photos threads latency → "wall_s rss_kb requests files"
run_once() {
    local n=$1 threads=$2 latency=$3
    # A fresh folder per run, all removed at exit: ext4 slows inode allocation while many
    # inodes were freed seconds ago, which would tax a run that starts right after rm -rf of
    # the previous one (the short parallel runs far more than the long sequential ones).
    run_number=$((run_number + 1))
    local photos_dir="$work/photos-$run_number" cookies="$work/cookies-$run_number"
    coproc SANDBOX { exec "$bin/photos-sandbox" --icloud --icloud-no-2fa --icloud-photos "$n" --icloud-latency-ms "$latency" --exit-on-stdin-eof; }
    local info url user pass
    read -r info <&"${SANDBOX[0]}"
    url=$(grep -o '"url":"[^"]*"' <<<"$info" | head -1 | cut -d'"' -f4)
    user=$(sed -E 's/.*"username":"([^"]+)".*/\1/' <<<"$info")
    pass=$(sed -E 's/.*"password":"([^"]+)".*/\1/' <<<"$info")
    local start end
    start=$(date +%s.%N)
    ICLOUDPD_AUTH_ROOT_ENDPOINT=$url ICLOUDPD_AUTH_ENDPOINT=$url/appleauth/auth ICLOUDPD_SETUP_ENDPOINT=$url/setup/ws/1 \
    ICLOUDPD_HOME_ENDPOINT=$url ICLOUD_PASSWORD=$pass TZ=UTC \
        /usr/bin/time -f '%M' -o "$work/rss" "$bin/icloudpd" -u "$user" -d "$photos_dir" --cookie-directory "$cookies" \
        --size original --size medium --size adjusted --threads-num "$threads" --log-level error --no-progress-bar > "$work/log" 2>&1 \
        || { echo "icloudpd failed:" >&2; tail -5 "$work/log" >&2; }
    end=$(date +%s.%N)
    local total files
    total=$(curl -s "$url/_sandbox/counts" | sed -E 's/.*"total":([0-9]+).*/\1/')
    files=$(find "$photos_dir" -type f | wc -l)
    exec {SANDBOX[1]}>&-
    wait "$SANDBOX_PID" 2>/dev/null || true
    echo "$(echo "$end - $start" | bc) $(cat "$work/rss") $total $files"
}

report() { # label results-file
    local label=$1 file=$2
    printf '%-34s wall %6.2f s   peak RSS %6.1f MB   requests %6d   files %6d\n' "$label" \
        "$(awk '{print $1}' "$file" | median)" "$(awk '{print $2/1024}' "$file" | median)" \
        "$(awk '{print $3}' "$file" | median)" "$(awk '{print $4}' "$file" | median)"
}

: > "$work/par"; : > "$work/seq"; : > "$work/big"
# Interleaved, so both see the same machine and disk state.
for _ in $(seq 1 "$runs"); do
    run_once "$photos" 8 $latency_ms >> "$work/par"
    run_once "$photos" 1 $latency_ms >> "$work/seq"
done
report "$photos photos, --threads-num 8" "$work/par"
report "$photos photos, --threads-num 1" "$work/seq"
par=$(awk '{print $1}' "$work/par" | median); seq_=$(awk '{print $1}' "$work/seq" | median)
echo "speed-up: $(echo "scale=1; $seq_ / $par" | bc)x"
# Memory: the same listing 10× larger, same latency and threads; its peak RSS must stay
# within 10 % of the --threads-num 8 runs above.
: > "$work/big"
for _ in $(seq 1 "$runs"); do run_once "$big" 8 $latency_ms >> "$work/big"; done
report "$big photos, --threads-num 8" "$work/big"
echo "peak RSS ratio $big/$photos (medians): $(echo "scale=3; $(awk '{print $2}' "$work/big" | median) / $(awk '{print $2}' "$work/par" | median)" | bc)"

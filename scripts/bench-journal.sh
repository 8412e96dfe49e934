#!/usr/bin/env bash
# Benchmark: `immich-batch --commit` compacting a pending journal of PHOTOS photos (an add and a
# done each, 1 in 1,000 left pending) and of 5 × PHOTOS, release build. Prints peak RSS and time
# of each and the RSS ratio: compaction must keep memory flat however long the journal is (a
# 20,000-photo plugin run journals 40,000 entries).
# Usage: scripts/bench-journal.sh [PHOTOS=20000]
set -euo pipefail
cd "$(dirname "$0")/.."
photos=${1:-20000}

swift build -c release -q --product immich-batch
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# photos → a journal file of realistic records (three files, asset ids, an album).
make_journal() {
    python3 - "$1" "$2" <<'EOF'
import json, sys, uuid
count, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as out:
    for i in range(count):
        jid = str(uuid.uuid4())
        folder = "/photos/2024/01/15/"
        record = {"type": "photo", "id": "A%07d" % i, "created": "2024-01-15T14:03:22-08:00", "favorite": i % 7 == 0,
                  "kind": "image", "filename": "IMG_%07d.HEIC" % i, "albums": ["Trip 2024"],
                  "files": {"original": {"path": folder + "IMG_%07d.HEIC" % i, "status": "downloaded", "asset": str(uuid.uuid4())},
                            "adjusted": {"path": folder + "IMG_%07d-adjusted.JPG" % i, "status": "downloaded", "asset": str(uuid.uuid4())}},
                  "live": {"original": {"path": folder + "IMG_%07d_HEVC.MOV" % i, "status": "downloaded", "asset": str(uuid.uuid4())}}}
        out.write(json.dumps({"op": "add", "jid": jid, "attempts": 0, "record": record}, separators=(",", ":")) + "\n")
        if i % 1000 != 0:
            out.write(json.dumps({"op": "done", "jid": jid}, separators=(",", ":")) + "\n")
EOF
}

# photos → "rss_kb seconds pending"
measure() {
    local journal="$work/journal-$1.json"
    make_journal "$1" "$journal"
    local bytes; bytes=$(stat -c %s "$journal")
    /usr/bin/time -f "%M %e" -o "$work/time" "$bin/immich-batch" --commit --log "$journal" < /dev/null > /dev/null 2> "$work/log"
    echo "$(cat "$work/time") $(wc -l < "$journal") $bytes"
}

read -r small_rss small_s small_left small_bytes < <(measure "$photos")
read -r big_rss big_s big_left big_bytes < <(measure $((photos * 5)))
awk -v p="$photos" -v a="$small_rss" -v as="$small_s" -v al="$small_left" -v ab="$small_bytes" \
    -v b="$big_rss" -v bs="$big_s" -v bl="$big_left" -v bb="$big_bytes" 'BEGIN {
    printf "journal of %d photos (%.0f MB): peak RSS %.1f MB, %.2f s, %d pending kept\n", p, ab / 1048576, a / 1024, as, al
    printf "journal of %d photos (%.0f MB): peak RSS %.1f MB, %.2f s, %d pending kept\n", p * 5, bb / 1048576, b / 1024, bs, bl
    printf "RSS ratio 5x/1x: %.2f (flat: <= 1.10)\n", b / a
}'

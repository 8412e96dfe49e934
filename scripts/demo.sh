#!/usr/bin/env bash
# The README's first command: build, start the sandbox servers, run the pipeline, show what
# Immich now holds. With IMMICH_SERVER_URL, IMMICH_API_KEY and IMMICH_LIBRARY_ID set (and
# DEMO_PHOTOS pointing at a folder inside that library's import path) it runs against that
# server instead of the sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-system-packages.sh
echo "==> building (swift build)" >&2
swift build -q
bin=$(swift build --show-bin-path)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

if [ -z "${IMMICH_SERVER_URL:-}" ]; then
    photos="$work/photos"
    mkdir -p "$photos"
    coproc SANDBOX { exec "$bin/photos-sandbox" --import-path "$photos" --scan-duration-ms 300 --auto-link-live --exit-on-stdin-eof; }
    read -r info <&"${SANDBOX[0]}"
    IMMICH_SERVER_URL=$(sed -E 's/.*"immich":"([^"]+)".*/\1/' <<<"$info")
    IMMICH_API_KEY=$(sed -E 's/.*"apiKey":"([^"]+)".*/\1/' <<<"$info")
    IMMICH_LIBRARY_ID=$(sed -E 's/.*"libraryId":"([^"]+)".*/\1/' <<<"$info")
    export IMMICH_SERVER_URL IMMICH_API_KEY IMMICH_LIBRARY_ID
    echo "==> sandbox Immich at $IMMICH_SERVER_URL, library $IMMICH_LIBRARY_ID, import path $photos" >&2
    sandbox=1
else
    photos=${DEMO_PHOTOS:?set DEMO_PHOTOS to a folder inside the library import path}
    sandbox=0
fi

# A small library as icloudpd lays it out: three sizes per photo, live videos for some.
echo "==> writing 12 photos (original, medium, adjusted; 4 live) under $photos" >&2
records="$work/records.ndjson"
: > "$records"
for i in $(seq 1 12); do
    month=$(( (i - 1) / 4 + 10 )); day=$(printf %02d $(( i + 3 )))
    dir="$photos/2024/$month/$day"
    mkdir -p "$dir"
    printf 'original %s' "$i" > "$dir/IMG_$i.HEIC"
    printf 'medium %s' "$i" > "$dir/IMG_$i-medium.JPG"
    printf 'adjusted %s' "$i" > "$dir/IMG_$i-adjusted.JPG"
    live=""
    if [ $(( i % 3 )) = 0 ]; then
        printf 'video %s' "$i" > "$dir/IMG_${i}_HEVC.MOV"
        live=",\"live\":{\"original\":{\"path\":\"$dir/IMG_${i}_HEVC.MOV\",\"status\":\"downloaded\"}}"
    fi
    favorite=$([ $(( i % 4 )) = 0 ] && echo true || echo false)
    printf '{"type":"photo","id":"demo-%s","created":"2024-%s-%sT09:30:00-07:00","favorite":%s,"kind":"image","filename":"IMG_%s.HEIC","files":{"original":{"path":"%s","status":"downloaded"},"medium":{"path":"%s","status":"downloaded"},"adjusted":{"path":"%s","status":"downloaded"}}%s}\n' \
        "$i" "$month" "$day" "$favorite" "$i" "$dir/IMG_$i.HEIC" "$dir/IMG_$i-medium.JPG" "$dir/IMG_$i-adjusted.JPG" "$live" >> "$records"
done

journal="$work/journal.json"
echo "==> immich-batch 5 | immich-scan | immich-batch --commit" >&2
"$bin/immich-batch" 5 --log "$journal" < "$records" \
    | "$bin/immich-scan" --poll-interval 0.2 \
    | "$bin/immich-batch" --commit --log "$journal"

if [ "$sandbox" = 1 ]; then
    echo "==> Immich now holds:" >&2
    curl -s "$IMMICH_SERVER_URL/_sandbox/state" | tr '{' '\n' | grep -o '"originalPath":"[^"]*"' | sed 's/"originalPath":"//; s/"$//' | sed "s#$photos/#  #" | sort
    exec {SANDBOX[1]}>&-
fi

#!/usr/bin/env bash
# The long watch-mode soak: icloudpd --watch-with-interval 1 --plugin immich for ITERATIONS
# iterations (default 200) against both sandbox servers with 10 % injected faults; between
# iterations the fake iCloud gains a photo, a favourite flips and every fifth iteration a photo
# is deleted; Immich answers 503 to everything for three iterations in the middle and the
# download directory vanishes for one. Checks that the process never exits, that Immich ends
# holding exactly what the library implies, that the journal is empty and that peak RSS after
# the last iteration is within 10 % of that after iteration 10. Prints one line: iterations,
# failed and recovered iterations, records lost (must be 0) and peak RSS.
#
#   scripts/soak.sh [ITERATIONS]     (at least 8)
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-200}
swift build --build-tests -q
log=$(mktemp)
# The tools run from a copy, so a rebuild during the long run cannot swap them underneath.
bin=$(mktemp -d)
trap 'rm -rf "$log" "$bin"' EXIT
built=$(swift build --show-bin-path)
for tool in icloudpd immich-batch immich-scan immich-stack immich-fav immich-album immich-trash photos-sandbox; do cp "$built/$tool" "$bin/"; done
status=0
TOOLS_BIN_DIR=$bin SOAK_ITERATIONS=$iterations swift test --disable-xctest --skip-build --filter WatchSoakTests >"$log" 2>&1 || status=$?
grep -E '^SOAK ' "$log" || true
grep -E '✘' "$log" | head -20 || true
if [ "$status" -ne 0 ]; then echo "soak FAILED (exit $status)" >&2; exit "$status"; fi
echo "soak passed ($iterations iterations)"

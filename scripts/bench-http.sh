#!/usr/bin/env bash
# Transport stress of the HTTP client against an independent server (Python's http.server,
# scripts/http-stress-server.py): idle keep-alive connections closed after 0.3 s, 1 % of
# requests dropped mid-body, GET/POST/PUT with bodies from 100 B to 256 KB, 16 concurrent.
# Every request must complete with its body intact and none may take 2 s; prints p50/p99/max
# latency and requests per second for each of RUNS runs (the suite runs a short version).
# Usage: scripts/bench-http.sh [REQUESTS=5000] [RUNS=1]
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-5000}
runs=${2:-1}
swift build --build-tests -q
passed=0
for run in $(seq 1 "$runs"); do
    if out=$(HTTP_STRESS_REQUESTS=$requests HTTP_STRESS_MAX_SECONDS=2 swift test --skip-build --disable-xctest --filter HTTPStressTests 2>&1); then
        passed=$((passed + 1)); verdict=passed
    else
        verdict=FAILED
        grep -E '✘' <<<"$out" | head -5 >&2 || true
    fi
    echo "run $run: $verdict; $(grep -o 'HTTP stress: .*' <<<"$out" | head -1)"
done
echo "$passed of $runs runs passed"
[ "$passed" = "$runs" ]

#!/usr/bin/env bash
# The C libraries the package links through module maps: libcrypto (sign-in), libcurl (every
# HTTP request), SQLite (state) and zlib (XMP orientation).
# Installs the Debian packages when they are missing and we may (root, apt available).
# --for-tests: also the tools some tests use, when missing: systemd-analyze (systemd, to verify
# contrib/systemd/), man and groff (man-db, groff-base, to render man/); without them those
# tests are skipped, so their absence is only reported.
set -euo pipefail
missing=()
[ -f /usr/include/openssl/bn.h ] || missing+=(libssl-dev)
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
[ -f /usr/include/curl/curl.h ] || compgen -G '/usr/include/*/curl/curl.h' >/dev/null || missing+=(libcurl4-openssl-dev)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
optional=()
if [ "${1:-}" = --for-tests ]; then
    command -v systemd-analyze >/dev/null || optional+=(systemd)
    command -v man >/dev/null || optional+=(man-db)
    command -v groff >/dev/null || optional+=(groff-base)
fi
[ $((${#missing[@]} + ${#optional[@]})) -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} ${optional[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" "${optional[@]}" >/dev/null
elif [ ${#missing[@]} -gt 0 ]; then
    echo "missing system packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
    exit 1
else
    echo "not installed: ${optional[*]} (the tests that need them are skipped)" >&2
fi

#!/usr/bin/env bash
# The C libraries the package links through module maps: libcrypto (sign-in), libcurl (every
# HTTP request), SQLite (state) and zlib (XMP orientation).
# Installs the Debian packages when they are missing and we may (root, apt available).
set -euo pipefail
missing=()
[ -f /usr/include/openssl/bn.h ] || missing+=(libssl-dev)
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
[ -f /usr/include/curl/curl.h ] || compgen -G '/usr/include/*/curl/curl.h' >/dev/null || missing+=(libcurl4-openssl-dev)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "missing system packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
    exit 1
fi

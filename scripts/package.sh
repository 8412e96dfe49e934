#!/usr/bin/env bash
# Makes a tarball of the self-contained release: photos-pipeline-VERSION-linux-ARCH.tar.gz in
# OUTPUT_DIR (default: the current folder), holding bin/, share/man/man1/, the bash, zsh and
# fish completions under share/, and README.md, docs/ and contrib/. It runs wherever it is
# unpacked on a machine with the C libraries of a stock Debian/Ubuntu (libc, libstdc++,
# libcurl, libcrypto, libsqlite3, libz) and no Swift:
#
#   tar -xzf photos-pipeline-*.tar.gz && photos-pipeline-*/bin/icloudpd --version
#   sudo tar -xzf photos-pipeline-*.tar.gz -C /usr/local --strip-components=1   (system-wide)
#
# Usage: scripts/package.sh [OUTPUT_DIR]     (builds through scripts/install.sh)
set -euo pipefail
here=$(pwd)
output=$(realpath -m "${1:-$here}")
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

scripts/install.sh "$work/stage" >&2
version=$("$work/stage/bin/icloudpd" --version | awk '{print $2}')
name="photos-pipeline-$version-linux-$(uname -m)"
mv "$work/stage" "$work/$name"
root="$work/$name"
# The manifest is install.sh's record for --uninstall of that folder; a tarball has none.
rm -rf "$root/share/photos-pipeline"
cp README.md "$root/"
[ -f LICENSE ] && cp LICENSE "$root/"
cp -r docs "$root/docs"
[ -d contrib ] && cp -r contrib "$root/contrib"
mkdir -p "$output"
tar -C "$work" --owner=0 --group=0 --numeric-owner -czf "$output/$name.tar.gz" "$name"
echo "$output/$name.tar.gz"

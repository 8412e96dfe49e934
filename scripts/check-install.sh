#!/usr/bin/env bash
# Checks the release as a user gets it, with the Swift toolchain out of sight:
#   1. scripts/install.sh into a scratch PREFIX; `ldd` of every installed command shows no
#      libswift*, libFoundation* or libdispatch (and nothing "not found");
#   2. under `unshare --mount` with an empty tmpfs over the toolchain's folder (root only), each
#      installed command runs --version and --help, and icloudpd --plugin immich downloads a
#      sandbox library (photos-sandbox --icloud) and registers it in the sandbox Immich;
#   3. --uninstall removes exactly what was installed (a file of ours in PREFIX/bin survives);
#   4. scripts/package.sh's tarball, unpacked, runs the same checks plus a hand-made pipeline
#      (icloudpd --records | immich-batch | immich-scan | … | immich-batch --commit).
# .ci/run calls it when CI=true (a release build costs minutes). Without root or unshare, step 2
# and 4's hidden-toolchain runs are skipped with the reason, and the commands run in the open.
set -euo pipefail

# --- the part that runs inside the mount namespace -----------------------------------------
if [ "${1:-}" = --inside ]; then
    bin=$2 hide=$3 pipeline=$4
    for folder in $hide; do mount -t tmpfs -o size=1m tmpfs "$folder"; done
    if [ -n "$hide" ] && command -v swift >/dev/null && swift --version >/dev/null 2>&1; then
        echo "FAIL: swift still runs with $hide hidden" >&2; exit 1
    fi
    unset LD_LIBRARY_PATH
    export PATH="$bin:/usr/local/bin:/usr/bin:/bin"
    for command in icloudpd immich-batch immich-scan immich-stack immich-fav immich-album immich-trash photos-sandbox; do
        version=$("$bin/$command" --version)
        case "$version" in "$command "[0-9]*"(commit "*) ;; *) echo "FAIL: $command --version: $version" >&2; exit 1 ;; esac
        "$bin/$command" --help | grep -q "^Usage: " || { echo "FAIL: $command --help" >&2; exit 1; }
    done
    echo "  --version and --help of the seven commands: ok ($("$bin/immich-batch" --version))"
    work=$(mktemp -d)
    trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
    field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/" <<<"$2"; }
    mkdir -p "$work/photos/icloud"
    coproc SANDBOX { exec "$bin/photos-sandbox" --import-path "$work/photos" --icloud --icloud-no-2fa --icloud-photos 12 \
        --scan-duration-ms 100 --auto-link-live --exit-on-stdin-eof; }
    read -r info <&"${SANDBOX[0]}"
    export IMMICH_SERVER_URL IMMICH_API_KEY IMMICH_LIBRARY_ID ICLOUD_PASSWORD
    IMMICH_SERVER_URL=$(field immich "$info"); IMMICH_API_KEY=$(field apiKey "$info"); IMMICH_LIBRARY_ID=$(field libraryId "$info")
    ICLOUD_PASSWORD=$(field password "$info"); username=$(field username "$info")
    for variable in ICLOUDPD_AUTH_ENDPOINT ICLOUDPD_AUTH_ROOT_ENDPOINT ICLOUDPD_SETUP_ENDPOINT ICLOUDPD_HOME_ENDPOINT; do
        export "$variable=$(field "$variable" "$info")"
    done
    "$bin/icloudpd" --username "$username" --directory "$work/photos/icloud" --cookie-directory "$work/cookies" \
        --size original --size adjusted --no-progress-bar --log-level info \
        --plugin immich --immich-stack-media --immich-favorite adjusted --immich-album "[adjusted]:iCloud/{:%Y}" \
        --immich-batch-process 5 --immich-batch-log-file "$work/plugin-pending.json" --immich-poll-interval 0.1 \
        > "$work/plugin.out" 2>&1 || status=$?
    # Exit 5 is expected: the sandbox library holds a photo whose name makes a hidden file (an
    # icloudpd naming edge case), which Immich would never import; it stays in the journal.
    summary=$(grep '"type":"summary"' "$work/plugin.out" || true)
    files=$(find "$work/photos/icloud" -type f | wc -l)
    if [ "${status:-0}" != 0 ] && [ "${status:-0}" != 5 ] || [ "$files" -le 12 ] || ! grep -q '"photos":12,' <<<"$summary"; then
        cat "$work/plugin.out" >&2; echo "FAIL: icloudpd --plugin immich (exit ${status:-0}, $files files)" >&2; exit 1
    fi
    echo "  icloudpd --plugin immich against photos-sandbox: exit ${status:-0}, $files files, $summary"
    if [ "$pipeline" = 1 ]; then
        "$bin/icloudpd" --username "$username" --directory "$work/photos/piped" --cookie-directory "$work/cookies" \
            --size original --no-progress-bar --log-level error --records "$work/records.ndjson" 2>"$work/records.err" \
            || { cat "$work/records.err" >&2; echo "FAIL: icloudpd --records" >&2; exit 1; }
        summary=$({ immich-batch 5 --log "$work/pending.json" < "$work/records.ndjson" | immich-scan --poll-interval 0.1 \
            | immich-stack | immich-fav | immich-album "iCloud/{:%Y}" | immich-batch --commit --log "$work/pending.json"; } \
            2>"$work/pipeline.err" | grep '"type":"summary"' || true)
        grep -q '"photos":12,' <<<"$summary" || { cat "$work/pipeline.err" >&2; echo "FAIL: pipeline: $summary" >&2; exit 1; }
        echo "  hand-made pipeline (icloudpd --records | immich-batch | immich-scan | immich-stack | immich-fav | immich-album | immich-batch --commit): $summary"
    fi
    exec {SANDBOX[1]}>&-
    exit 0
fi

# --- the outer part ---------------------------------------------------------------------------
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
commands=(icloudpd immich-batch immich-scan immich-stack immich-fav immich-album immich-trash photos-sandbox)

# The folders that hold the toolchain (and its runtime libraries): its root unless that is /usr.
hidden_folders() {
    local swift toolchain
    swift=$(command -v swift) || return 0
    toolchain=$(dirname "$(dirname "$(readlink -f "$swift")")")  # …/usr
    if [ "$toolchain" = /usr ]; then
        for folder in /usr/lib/swift /usr/lib/swift_static /usr/libexec/swift; do [ -d "$folder" ] && echo "$folder"; done
    elif [ "$(basename "$toolchain")" = usr ]; then
        dirname "$toolchain"
    else
        echo "$toolchain"
    fi
}
hide=$(hidden_folders | tr '\n' ' ')

run_hidden() {  # run_hidden BIN PIPELINE
    if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
        echo "  SKIPPED hiding the toolchain ($([ "$(id -u)" != 0 ] && echo "not root" || echo "no unshare")): running in the open" >&2
        bash "$root/scripts/check-install.sh" --inside "$1" "" "$2"
        return
    fi
    echo "  (toolchain hidden: empty tmpfs over $hide)"
    unshare --mount --propagation private bash "$root/scripts/check-install.sh" --inside "$1" "$hide" "$2"
}

check_linkage() {  # check_linkage BIN
    local command libraries
    for command in "${commands[@]}"; do
        libraries=$(ldd "$1/$command")
        if grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime|not found' <<<"$libraries"; then
            echo "FAIL: $1/$command links the above" >&2; exit 1
        fi
    done
    echo "  ldd: no libswift*, libFoundation*, libdispatch; needs $(ldd "$1/icloudpd" | awk '/=>/ {print $1}' | grep -E '^lib(c|stdc\+\+|curl|crypto|sqlite3|z|m|gcc_s)\.so' | tr '\n' ' ')(and their dependencies)"
}

prefix="$work/prefix"
mkdir -p "$prefix/bin"
echo "not ours" > "$prefix/bin/someone-elses-tool"
echo "==> scripts/install.sh $prefix"
scripts/install.sh "$prefix"
check_linkage "$prefix/bin"
echo "  sizes: $(du -h "$prefix/bin/icloudpd" | cut -f1) (the six commands, one binary under six names), $(du -h "$prefix/bin/photos-sandbox" | cut -f1) photos-sandbox"
run_hidden "$prefix/bin" 0

echo "==> scripts/install.sh --uninstall $prefix"
scripts/install.sh --uninstall "$prefix"
left=$(cd "$prefix" && find . -mindepth 1 | sort | tr '\n' ' ')
[ "$left" = "./bin ./bin/someone-elses-tool " ] || { echo "FAIL: after --uninstall $prefix holds: $left" >&2; exit 1; }
echo "  left behind: only what was there before ($left)"

echo "==> scripts/package.sh"
tarball=$(scripts/package.sh "$work/dist")
mkdir "$work/unpacked"
tar -C "$work/unpacked" -xzf "$tarball"
unpacked=$(echo "$work/unpacked"/*)
echo "  $(basename "$tarball"): $(du -h "$tarball" | cut -f1); $(cd "$unpacked" && find . -type f | wc -l) files"
check_linkage "$unpacked/bin"
for command in "${commands[@]}"; do
    [ -f "$unpacked/share/man/man1/$command.1" ] || { echo "FAIL: no man page for $command in the tarball" >&2; exit 1; }
    [ -f "$unpacked/share/bash-completion/completions/$command" ] || { echo "FAIL: no bash completion for $command in the tarball" >&2; exit 1; }
done
run_hidden "$unpacked/bin" 1
echo "==> check-install: ok"

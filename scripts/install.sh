#!/usr/bin/env bash
# Builds the self-contained release (Swift runtime and Foundation linked in; only the C
# libraries of a stock Debian/Ubuntu needed at run time) and installs it under PREFIX:
#
#   PREFIX/bin/                               icloudpd, immich-batch, immich-scan, immich-stack,
#                                             immich-fav, immich-album, immich-trash (one binary, hard links)
#                                             and photos-sandbox
#   PREFIX/share/man/man1/                    a man page per command
#   PREFIX/share/bash-completion/completions/ PREFIX/share/zsh/site-functions/
#   PREFIX/share/fish/vendor_completions.d/   the completion scripts
#   PREFIX/share/photos-pipeline/install-manifest   what it installed, for --uninstall
#
# Usage: scripts/install.sh [--no-build] [PREFIX]     (PREFIX defaults to /usr/local)
#        scripts/install.sh --uninstall [PREFIX]      removes exactly what the manifest lists
#
# The build runs as you (in .build-release/); when PREFIX is not writable the copying step
# re-runs itself through sudo with --no-build. BUILD_COMMIT overrides the recorded commit.
set -euo pipefail

mode=install build=1 prefix=/usr/local
for argument in "$@"; do
    case "$argument" in
        --uninstall) mode=uninstall ;;
        --no-build) build=0 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "install.sh: unknown option $argument" >&2; exit 2 ;;
        *) prefix=$argument ;;
    esac
done
prefix=$(realpath -m "$prefix")  # relative to where it was called from
cd "$(dirname "$0")/.."
root=$(pwd)
manifest="$prefix/share/photos-pipeline/install-manifest"
scratch="$root/.build-release"
bin="$scratch/release"
commands=(icloudpd immich-batch immich-scan immich-stack immich-fav immich-album immich-trash)

# Re-runs this script with root rights when PREFIX cannot be written (as `sudo` would reset
# PATH and may have no Swift, the build has already happened).
escalate() {
    local probe=$prefix
    while [ ! -e "$probe" ]; do probe=$(dirname "$probe"); done
    [ -w "$probe" ] && [ ! -e "$manifest" -o -w "$manifest" ] && return 0
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then
        echo "==> $prefix is not writable: continuing with sudo" >&2
        exec sudo "$root/scripts/install.sh" "$@"
    fi
    echo "install.sh: cannot write to $prefix (run as root, or give a PREFIX you own, e.g. ~/.local)" >&2
    exit 1
}

if [ "$mode" = uninstall ]; then
    [ -f "$manifest" ] || { echo "install.sh: nothing installed under $prefix (no $manifest)" >&2; exit 1; }
    escalate --uninstall "$prefix"
    # The files, then the folders the install created (deepest first), when they are empty.
    while read -r kind path; do
        if [ "$kind" = file ]; then rm -f "$prefix/$path"; fi
    done < "$manifest"
    mapfile -t dirs < <(grep '^dir ' "$manifest" | cut -d' ' -f2- | sort -r)
    rm -f "$manifest"
    for path in "${dirs[@]}"; do
        if [ "$path" = . ]; then rmdir "$prefix" 2>/dev/null || true; else rmdir "$prefix/$path" 2>/dev/null || true; fi
    done
    echo "==> removed the photos-pipeline commands from $prefix" >&2
    exit 0
fi

if [ "$build" = 1 ]; then
    scripts/ensure-system-packages.sh
    commit=${BUILD_COMMIT:-$(git -C "$root" describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)}
    echo "==> building the release (commit $commit; a few minutes the first time)" >&2
    for product in photos-pipeline photos-sandbox; do
        # (Foundation's static library draws a linker warning about mktemp on every link.)
        set +e
        swift build -c release --scratch-path "$scratch" --static-swift-stdlib -Xlinker -s \
            -Xcc "-DPHOTOS_BUILD_COMMIT=\"$commit\"" --product "$product" 2>&1 | grep -v "the use of .mktemp' is dangerous" >&2
        status=${PIPESTATUS[0]}
        set -e
        [ "$status" = 0 ] || { echo "install.sh: the build of $product failed" >&2; exit 1; }
    done
fi
for product in photos-pipeline photos-sandbox; do
    [ -x "$bin/$product" ] || { echo "install.sh: no $bin/$product: build first (without --no-build)" >&2; exit 1; }
done
escalate --no-build "$prefix"

# Every file and folder this install creates, relative to PREFIX; an earlier install's
# entries are kept so that --uninstall still removes them.
files=() dirs=()
if [ -f "$manifest" ]; then
    while read -r kind path; do
        if [ "$kind" = file ] && [ -e "$prefix/$path" ]; then files+=("$path"); fi
        if [ "$kind" = dir ]; then dirs+=("$path"); fi
    done < "$manifest"
fi
directory() {
    local relative=$1 missing=()
    local path="$prefix/$relative"
    while [ ! -d "$path" ]; do
        if [ "$path" = "$prefix" ]; then missing+=(.); else missing+=("${path#"$prefix"/}"); fi
        path=$(dirname "$path")
    done
    mkdir -p "$prefix/$relative"
    dirs+=("${missing[@]}")
}
place() {  # place MODE SOURCE RELATIVE-TARGET
    directory "$(dirname "$3")"
    install -m "$1" "$2" "$prefix/$3.new.$$" && mv -f "$prefix/$3.new.$$" "$prefix/$3"
    files+=("$3")
}

place 755 "$bin/photos-pipeline" "bin/${commands[0]}"
for command in "${commands[@]:1}"; do
    ln -f "$prefix/bin/${commands[0]}" "$prefix/bin/$command.new.$$" && mv -f "$prefix/bin/$command.new.$$" "$prefix/bin/$command"
    files+=("bin/$command")
done
place 755 "$bin/photos-sandbox" bin/photos-sandbox
for command in "${commands[@]}" photos-sandbox; do
    place 644 "man/man1/$command.1" "share/man/man1/$command.1"
    place 644 "completions/bash/$command" "share/bash-completion/completions/$command"
    place 644 "completions/zsh/_$command" "share/zsh/site-functions/_$command"
    place 644 "completions/fish/$command.fish" "share/fish/vendor_completions.d/$command.fish"
done

directory share/photos-pipeline
{ printf 'file %s\n' "${files[@]}" | sort -u; printf 'dir %s\n' "${dirs[@]}" | sort -u | grep -v '^dir $' || true; } > "$manifest"
echo "==> installed $(printf '%s ' "${commands[@]}")photos-sandbox into $prefix/bin" >&2
"$prefix/bin/icloudpd" --version >&2
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "    (add $prefix/bin to PATH)" >&2 ;; esac

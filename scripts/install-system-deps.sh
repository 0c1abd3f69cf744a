#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, but only the ones that are missing:
#   chromium          browser tests (Playwright drives /usr/bin/chromium; never its own download)
#   zbar-tools        zbarimg, decodes QR codes in tests
#   libzbar0          the library pyzbar loads
#   ffmpeg            turns a ticket image into a fake camera video for the desk scanner test
#   nodejs, npm       ESLint and the node tests of static/js (package.json)
# Only what is missing is installed: e.g. a NodeSource nodejs already brings npm, and Debian's
# npm package would conflict with it.
set -euo pipefail

has_libzbar() {
    local ldconfig
    ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
    [ -x "$ldconfig" ] || return 1
    # Not a pipe into grep -q: with pipefail, ldconfig's SIGPIPE would read as "missing".
    grep -q 'libzbar\.so' <<<"$("$ldconfig" -p 2>/dev/null)"
}

# One line per missing item: "<Debian package> (<what is missing>)".
missing_items() {
    [ -x /usr/bin/chromium ] || echo "chromium (/usr/bin/chromium)"
    command -v zbarimg >/dev/null 2>&1 || echo "zbar-tools (zbarimg)"
    has_libzbar || echo "libzbar0 (libzbar.so)"
    command -v ffmpeg >/dev/null 2>&1 || echo "ffmpeg (ffmpeg)"
    command -v node >/dev/null 2>&1 || echo "nodejs (node)"
    command -v npm >/dev/null 2>&1 || echo "npm (npm)"
}

report_missing() {
    echo "install-system-deps: still missing:" >&2
    printf '  - %s\n' "$@" >&2
    echo "Install them with: apt-get update && apt-get install -y ${packages[*]}" >&2
}

mapfile -t missing < <(missing_items)
if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-system-deps: chromium, zbar, ffmpeg, node and npm are present."
    exit 0
fi
packages=("${missing[@]%% *}")

echo "install-system-deps: missing: ${missing[*]}"

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "install-system-deps: not root and no sudo, cannot install." >&2
    report_missing "${missing[@]}"
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: apt-get not found; this script expects Debian." >&2
    report_missing "${missing[@]}"
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get update \
    || ! "${as_root[@]}" apt-get install -y "${packages[@]}"; then
    echo "install-system-deps: apt-get failed." >&2
fi

mapfile -t missing < <(missing_items)
if [ "${#missing[@]}" -ne 0 ]; then
    report_missing "${missing[@]}"
    exit 1
fi
echo "install-system-deps: installed ${packages[*]}."

#!/usr/bin/env bash
# Installs Debian packages, but only the ones that are missing.
# `install-system-deps.sh` (or `... test`): what the test suite needs:
#   chromium          browser tests (Playwright drives /usr/bin/chromium; never its own download)
#   zbar-tools        zbarimg, decodes QR codes in tests
#   libzbar0          the library pyzbar loads
#   ffmpeg            turns a ticket image into a fake camera video for the desk scanner test
#   nodejs, npm       ESLint and the node tests of static/js (package.json)
# `install-system-deps.sh drill`: what the scale-out drill (deploy/drill.sh) needs beside
# PostgreSQL and Redis (which .ci/run starts):
#   nginx             the reverse proxy, run by the drill in a folder of its own (never the
#                     system service; Debian's policy-rc.d decides whether apt starts that)
#   openssl           the drill's self-signed certificate
#   postgresql-client pg_dump and pg_restore, for deploy/backup.sh
# Only what is missing is installed: e.g. a NodeSource nodejs already brings npm, and Debian's
# npm package would conflict with it.
set -euo pipefail

group="${1:-test}"
case "$group" in
    test | drill) ;;
    *)
        echo "usage: $0 [test|drill]" >&2
        exit 2
        ;;
esac

has_libzbar() {
    local ldconfig
    ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
    [ -x "$ldconfig" ] || return 1
    # Not a pipe into grep -q: with pipefail, ldconfig's SIGPIPE would read as "missing".
    grep -q 'libzbar\.so' <<<"$("$ldconfig" -p 2>/dev/null)"
}

# One line per missing item: "<Debian package> (<what is missing>)".
missing_items() {
    if [ "$group" = drill ]; then
        [ -x /usr/sbin/nginx ] || echo "nginx (/usr/sbin/nginx)"
        command -v openssl >/dev/null 2>&1 || echo "openssl (openssl)"
        command -v pg_dump >/dev/null 2>&1 || echo "postgresql-client (pg_dump)"
        command -v pg_restore >/dev/null 2>&1 || echo "postgresql-client (pg_restore)"
        return 0
    fi
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
    echo "install-system-deps: everything for '$group' is present."
    exit 0
fi
mapfile -t packages < <(printf '%s\n' "${missing[@]%% *}" | sort -u)

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

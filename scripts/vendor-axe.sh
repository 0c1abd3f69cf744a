#!/usr/bin/env bash
# Vendors axe-core (MPL-2.0) for the browser accessibility tests: tests/browser/vendor/.
# The result is committed; this script records where it came from and reproduces it.
set -euo pipefail

AXE_VERSION="${AXE_VERSION:-4.14.1}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/tests/browser/vendor"

if ! command -v npm >/dev/null 2>&1; then
    echo "vendor-axe: npm is needed to fetch axe-core $AXE_VERSION (apt-get install npm)." >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# npm pack checks the tarball against the registry's integrity hash.
(cd "$work" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null)
tar -xzf "$work"/axe-core-"$AXE_VERSION".tgz -C "$work" package/axe.min.js package/LICENSE

mkdir -p "$DEST"
cp "$work/package/axe.min.js" "$DEST/axe.min.js"
cp "$work/package/LICENSE" "$DEST/LICENSE"
printf 'axe-core %s (MPL-2.0), from the npm package axe-core@%s via scripts/vendor-axe.sh\n' \
    "$AXE_VERSION" "$AXE_VERSION" >"$DEST/VERSION"
(cd "$DEST" && sha256sum axe.min.js LICENSE >>VERSION)
echo "vendor-axe: axe-core $AXE_VERSION -> ${DEST#"$ROOT"/}"

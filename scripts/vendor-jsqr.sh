#!/usr/bin/env bash
# Vendors jsQR (Apache-2.0), the desk's QR decoder where the browser has no BarcodeDetector
# (Linux Chromium, iOS Safari): static/vendor/jsQR/. The result is committed; this script
# records where it came from and reproduces it. The npm package ships only an unminified UMD
# build, so it is minified with a pinned terser (same input + same terser = same bytes).
set -euo pipefail

JSQR_VERSION="${JSQR_VERSION:-1.4.0}"
TERSER_VERSION="${TERSER_VERSION:-5.51.2}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/vendor/jsQR"

if ! command -v npm >/dev/null 2>&1; then
    echo "vendor-jsqr: npm is needed to fetch jsqr $JSQR_VERSION (apt-get install npm)." >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# npm pack checks the tarball against the registry's integrity hash.
(cd "$work" && npm pack --silent "jsqr@$JSQR_VERSION" >/dev/null)
tar -xzf "$work/jsqr-$JSQR_VERSION.tgz" -C "$work" package/dist/jsQR.js package/LICENSE
upstream_sha="$(sha256sum "$work/package/dist/jsQR.js" | cut -d' ' -f1)"

(cd "$work" && npm install --silent --no-save --no-audit --no-fund "terser@$TERSER_VERSION" >/dev/null)
mkdir -p "$DEST"
{
    printf '/* jsQR %s, Apache-2.0 (see LICENSE beside this file), https://github.com/cozmo/jsQR */\n' \
        "$JSQR_VERSION"
    "$work/node_modules/.bin/terser" "$work/package/dist/jsQR.js" --compress --mangle --comments false
} >"$DEST/jsQR.min.js"
cp "$work/package/LICENSE" "$DEST/LICENSE"
{
    printf 'jsQR %s (Apache-2.0), from the npm package jsqr@%s via scripts/vendor-jsqr.sh\n' \
        "$JSQR_VERSION" "$JSQR_VERSION"
    printf 'minified with terser@%s from dist/jsQR.js (sha256 %s)\n' \
        "$TERSER_VERSION" "$upstream_sha"
} >"$DEST/VERSION"
(cd "$DEST" && sha256sum jsQR.min.js LICENSE >>VERSION)
echo "vendor-jsqr: jsQR $JSQR_VERSION -> ${DEST#"$ROOT"/}"

#!/usr/bin/env bash
# Refreshes the console's vendored Chart.js (console/static/vendor/) from npm, at the
# version pinned here (or CHARTJS_VERSION), with its licence.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="${CHARTJS_VERSION:-4.4.1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "chart.js@$VERSION" >/dev/null && tar -xzf "chart.js-$VERSION.tgz")
dest="$ROOT/console/static/vendor"
mkdir -p "$dest"
cp "$work/package/dist/chart.umd.js" "$dest/chart.umd.js"
cp "$work/package/LICENSE.md" "$dest/chart.js-LICENSE.md"
echo "chart.js $VERSION (npm), dist/chart.umd.js" > "$dest/chart.js-VERSION"
echo "Chart.js $VERSION vendored into $dest"

#!/usr/bin/env bash
# Builds the chat widget's vendored browser dependency:
#   web/vendor/socket.io.min.js  <-  npm package socket.io-client (pinned in package.json/package-lock.json)
# npm ci also installs the test-only devDependency axe-core (node_modules/axe-core/axe.min.js),
# which the browser tests inject into the page; it is never served to visitors.
# Runs `npm ci` only when node_modules/ is missing or package-lock.json changed since the last install.
# Idempotent; called by scripts/setup.sh. Needs node + npm (any current LTS).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

command -v npm >/dev/null || { echo "web/build.sh: npm is not installed (apt-get install nodejs npm)" >&2; exit 1; }

stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "web/build.sh: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

mkdir -p vendor
src=node_modules/socket.io-client/dist/socket.io.min.js
if ! cmp -s "$src" vendor/socket.io.min.js; then
  cp "$src" vendor/socket.io.min.js
  echo "web/build.sh: updated web/vendor/socket.io.min.js"
fi

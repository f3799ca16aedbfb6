#!/usr/bin/env bash
# Scheduled audit: keep a dated JSON report (and HTML for people), and say what changed since
# the previous one. Run it from cron or the Kubernetes CronJob beside this file.
#
#   REPORTS_DIR   where dated reports are kept          (default: ./reports)
#   KEEP_DAYS     delete reports older than this       (default: 400; 0 keeps everything)
#   RESIDENCY     the residency command                (default: residency)
#   AUDIT_DATE    the report's date, YYYY-MM-DD         (default: today, UTC)
#   arguments     what to run, default: scan --policy policies
#
# Exit code: residency's (0 clean, 1 violations, 3 incomplete), or 1 when the diff shows new
# findings although the scan itself passed; 2 for usage errors.
set -uo pipefail

reports="${REPORTS_DIR:-./reports}"
keep_days="${KEEP_DAYS:-400}"
residency="${RESIDENCY:-residency}"
day="${AUDIT_DATE:-$(date -u +%F)}"
if [ "$#" -eq 0 ]; then set -- scan --policy policies; fi

mkdir -p "$reports"
previous="$(find "$reports" -maxdepth 1 -name '????-??-??.json' ! -name "$day.json" | sort | tail -n 1)"

$residency "$@" --format json --output "$reports/$day.json" --format html --output "$reports/$day.html" \
    > "$reports/$day.txt"
code=$?
if [ "$code" -eq 2 ] || [ ! -f "$reports/$day.json" ]; then
    echo "scheduled-audit: the scan failed (exit $code); see $reports/$day.txt" >&2
    exit 2
fi

if [ -n "$previous" ]; then
    $residency diff "$previous" "$reports/$day.json" --format markdown --output "$reports/$day.diff.md"
    $residency diff "$previous" "$reports/$day.json" --fail-on-new
    diff_code=$?
    if [ "$code" -eq 0 ] && [ "$diff_code" -ne 0 ]; then code=$diff_code; fi
else
    echo "scheduled-audit: first report, nothing to compare with"
fi

if [ "$keep_days" -gt 0 ]; then
    find "$reports" -maxdepth 1 -name '????-??-??*' -mtime +"$keep_days" -delete
fi
exit "$code"

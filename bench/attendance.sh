#!/usr/bin/env bash
# The vie scolaire's desk (issue #8) on SQLite and on a PostgreSQL it starts:
# a school of 1,500 students at 9:00 (p50, p99 of the server's time in
# process for GET /vie-scolaire/bureau).
#   bench/attendance.sh [runs, default 300]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=build/release/tests/attendance_bench
[[ -x $binary ]] || cmake --build build/release --target attendance_bench
echo "== SQLite"
CARTABLE_TEST_ENGINE=sqlite "$binary" "$@" 2> >(grep -v "^20[0-9-]*T" >&2)
out=$(tools/postgres.sh start)
directory=$(sed -n 1p <<<"$out")
url=$(sed -n 2p <<<"$out")
trap 'tools/postgres.sh stop "$directory" >/dev/null' EXIT
echo "== PostgreSQL"
CARTABLE_TEST_ENGINE=postgresql CARTABLE_TEST_POSTGRESQL="$url" "$binary" "$@" 2> >(grep -v "^20[0-9-]*T" >&2)

#!/usr/bin/env bash
# The bulletins (issue #8) on SQLite and on a PostgreSQL it starts: a class
# of 35 students, 12 subjects, 60 assessments with all marks; the averages
# alone, the class's read and each bulletin's PDF (mean, p99) in process.
#   bench/assessments.sh [runs, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=build/release/tests/assessments_bench
[[ -x $binary ]] || cmake --build build/release --target assessments_bench
echo "== SQLite"
CARTABLE_TEST_ENGINE=sqlite "$binary" "$@" 2> >(grep -v "^20[0-9-]*T" >&2)
out=$(tools/postgres.sh start)
directory=$(sed -n 1p <<<"$out")
url=$(sed -n 2p <<<"$out")
trap 'tools/postgres.sh stop "$directory" >/dev/null' EXIT
echo "== PostgreSQL"
CARTABLE_TEST_ENGINE=postgresql CARTABLE_TEST_POSTGRESQL="$url" "$binary" "$@" 2> >(grep -v "^20[0-9-]*T" >&2)

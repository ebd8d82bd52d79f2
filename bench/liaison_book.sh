#!/usr/bin/env bash
# The carnet de liaison (issue #7) on SQLite and on a PostgreSQL it starts:
# the CPE's follow-up table of a note to 600 guardians, half signed (p50,
# p99 of the server's time in process).
#   bench/liaison_book.sh [runs, default 300]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=build/release/tests/liaison_book_bench
[[ -x $binary ]] || cmake --build build/release --target liaison_book_bench
echo "== SQLite"
CARTABLE_TEST_ENGINE=sqlite "$binary" "$@" 2> >(grep -v "^20[0-9-]*T" >&2)
out=$(tools/postgres.sh start)
directory=$(sed -n 1p <<<"$out")
url=$(sed -n 2p <<<"$out")
trap 'tools/postgres.sh stop "$directory" >/dev/null' EXIT
echo "== PostgreSQL"
CARTABLE_TEST_ENGINE=postgresql CARTABLE_TEST_POSTGRESQL="$url" "$binary" "$@" 2> >(grep -v "^20[0-9-]*T" >&2)

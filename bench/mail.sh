#!/usr/bin/env bash
# The messagerie's benchmark (issue #5) on SQLite and on a PostgreSQL it
# starts: one message to 2,000 people (server time, rows written), an inbox
# of 10,000 messages (p50, p99), a search in 100,000 messages (p50, p99).
#   bench/mail.sh [messages searched, default 100000]
# Needs the release build (cmake --build build/release --target mail_bench).
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-100000}
binary=build/release/tests/mail_bench
[[ -x $binary ]] || cmake --build build/release --target mail_bench
echo "== SQLite"
CARTABLE_TEST_ENGINE=sqlite "$binary" "$messages" 2> >(grep -v "^20[0-9-]*T" >&2)
out=$(tools/postgres.sh start)
directory=$(sed -n 1p <<<"$out")
url=$(sed -n 2p <<<"$out")
trap 'tools/postgres.sh stop "$directory" >/dev/null' EXIT
echo "== PostgreSQL"
CARTABLE_TEST_ENGINE=postgresql CARTABLE_TEST_POSTGRESQL="$url" "$binary" "$messages" 2> >(grep -v "^20[0-9-]*T" >&2)

#!/usr/bin/env bash
# The « Dossiers partagés » benchmark: a folder of 1 000 files listed
# (p50, p99), a 100 MB upload and download with curl against `cp` of the
# same file, and the server's RSS. Needs the release build, node and curl.
#   bench/folders.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x build/release/app/cartable ]] || cmake --build build/release --target cartable
CARTABLE_BIN="$PWD/build/release/app/cartable" node bench/folders/folders_bench.mjs

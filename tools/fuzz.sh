#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# Builds the parsers' fuzzer with clang and runs it for a while.
# Usage: tools/fuzz.sh [seconds]   (default 20). Exits non-zero on a crash.
set -eu

seconds="${1:-20}"
case "$seconds" in
    '' | *[!0-9]*)
        echo "usage: $0 [seconds]" >&2
        exit 2
        ;;
esac

root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build/fuzz"

CXX=clang++ cmake -S "$root/fuzz" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2

# The fuzzer adds what it finds to its corpus: work on a copy so the seeds in
# the tree stay small and reviewed.
work="$build/corpus"
rm -rf "$work"
mkdir -p "$work" "$build/artifacts"
cp "$root"/fuzz/corpus/* "$work"/

"$build/parse_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$build/artifacts/" "$work"

#!/usr/bin/env bash
# clang-tidy over the program's sources (core, services, app), two at a time,
# with the checks of .clang-tidy; fails on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/release/compile_commands.json ]] || { echo "build/release first (tools/setup.sh)" >&2; exit 2; }
mapfile -t files < <(git ls-files -co --exclude-standard -- 'core/*.cpp' 'services/*.cpp' 'app/*.cpp')
# clang-tidy cannot read GCC's precompiled headers: a copy of the compile
# commands without them (the PCH only holds Beast and Asio, included anyway).
mkdir -p build/tidy
sed -E 's# -Winvalid-pch -include [^ ]*cmake_pch\.hxx##g' build/release/compile_commands.json >build/tidy/compile_commands.json
log=$(mktemp)
status=0
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p build/tidy --quiet >"$log" 2>&1 || status=$?
grep -E '(warning|error):' "$log" | sort -u || true
rm -f "$log"
if [[ $status -ne 0 ]]; then
    echo "clang-tidy : des corrections sont nécessaires" >&2
    exit 1
fi
echo "clang-tidy : ${#files[@]} fichiers sans remarque"

#!/usr/bin/env bash
# clang-format over the project's C++ (one pinned style, .clang-format).
#   tools/format.sh           rewrites the files
#   tools/format.sh --check   fails, naming the files, if one is not formatted
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.cpp' '*.h' | grep -v '^build' || true)
if [[ "${1:-}" == "--check" ]]; then
    clang-format --dry-run --Werror "${files[@]}"
    echo "clang-format : ${#files[@]} fichiers conformes"
else
    clang-format -i "${files[@]}"
fi

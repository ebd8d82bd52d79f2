#!/usr/bin/env bash
# Benchmark of the directory import: a synthetic académie made by
# tools/aaf/generate.mjs, imported in full, in full again, then as a delta,
# on SQLite and (when BENCH_POSTGRESQL is a database URL) on PostgreSQL.
# Usage: bench/import.sh [--structures 400] [--students 300000] [--staff 30000] [--delta 10000]
# Reports wall time, records/s, peak RSS and CPU time of each run (aims:
# full import < 60 s and < 500 MB on SQLite, delta < 2 s).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${CARTABLE_BIN:-$root/build/release/app/cartable}"
structures=400 students=300000 staff=30000 delta=10000
while (($#)); do
  case "$1" in
    --structures) structures="$2"; shift 2 ;;
    --students) students="$2"; shift 2 ;;
    --staff) staff="$2"; shift 2 ;;
    --delta) delta="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x "$bin" ]] || { echo "Cartable binary not found: $bin" >&2; exit 2; }
work="$(mktemp -d /tmp/cartable-import-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "generating $structures structures, $students students, $staff staff, $delta delta changes…" >&2
node "$root/tools/aaf/generate.mjs" academy "$work/feed" --structures "$structures" --students "$students" \
  --staff "$staff" --delta "$delta" >&2

# Runs one import; prints its wall time, records, records/s, peak RSS and,
# if /usr/bin/time is there, the CPU time it used (user + system: on a shared
# machine the figure that depends least on the others) and its exact peak.
measure() { # database-args… -- directory
  local args=() dir
  while [[ "$1" != "--" ]]; do args+=("$1"); shift; done
  dir="$2"
  local start end pid target peak=0 rss timed=()
  [[ -x /usr/bin/time ]] && timed=(/usr/bin/time -f "%U %S %M" -o "$work/time.txt")
  rm -f "$work/time.txt"
  start=$(date +%s.%N)
  "${timed[@]}" "$bin" import aaf "$dir" "${args[@]}" >"$work/report.txt" 2>"$work/stderr.txt" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    # The import itself: time's child when time runs it.
    target=$pid
    [[ ${#timed[@]} -gt 0 ]] && target=$(pgrep -P "$pid" | head -1)
    rss=$(awk '/^VmHWM:/ { print $2 }' "/proc/${target:-$pid}/status" 2>/dev/null || echo 0)
    [[ -n "$rss" && "$rss" -gt "$peak" ]] && peak=$rss
    sleep 0.2
  done
  wait "$pid" || { cat "$work/stderr.txt" >&2; exit 1; }
  end=$(date +%s.%N)
  local records cpu=""
  records=$(grep -o '[0-9 ]* enregistrement' "$work/report.txt" | head -1 | tr -dc '0-9')
  if [[ -f "$work/time.txt" ]]; then
    cpu=$(awk '{ printf ", CPU %.1f s", $1 + $2 }' "$work/time.txt")
    rss=$(awk '{ print $3 }' "$work/time.txt") # KiB, exact (polling misses a short run)
    [[ "$rss" -gt "$peak" ]] && peak=$rss
  fi
  awk -v s="$start" -v e="$end" -v r="$records" -v p="$peak" -v c="$cpu" \
    'BEGIN { t = e - s; printf "%.1f s, %d records, %.0f records/s, peak RSS %.0f MB%s\n", t, r, r / t, p / 1024, c }'
}

# The full export, the same again (nothing changes: the weekly run), then
# the delta.
echo "SQLite, full import:  $(measure --data-dir "$work/sqlite" -- "$work/feed/complet")"
echo "SQLite, same again:   $(measure --data-dir "$work/sqlite" -- "$work/feed/complet")"
echo "SQLite, delta import: $(measure --data-dir "$work/sqlite" -- "$work/feed/delta")"
if [[ -n "${BENCH_POSTGRESQL:-}" ]]; then
  echo "PostgreSQL, full import:  $(measure --database "$BENCH_POSTGRESQL" --data-dir "$work/pg" -- "$work/feed/complet")"
  echo "PostgreSQL, same again:   $(measure --database "$BENCH_POSTGRESQL" --data-dir "$work/pg" -- "$work/feed/complet")"
  echo "PostgreSQL, delta import: $(measure --database "$BENCH_POSTGRESQL" --data-dir "$work/pg" -- "$work/feed/delta")"
fi

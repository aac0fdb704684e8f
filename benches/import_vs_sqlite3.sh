#!/usr/bin/env bash
# Import of a 100,000-row CSV by `releaseday import` (validation, upsert, audit, one
# transaction) against the sqlite3 shell's `.import` of the same file into a bare table.
# Target: releaseday ≤ 2× sqlite3. Prints both times, the ratio and releaseday's peak memory.
# Run from the project root: bash benches/import_vs_sqlite3.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
if ! command -v sqlite3 >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null
  else
    echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1
  fi
fi
# `cargo bench` runs this through benches/import.rs with the binary it built; alone, build one
# (the build honours CARGO_TARGET_DIR, so the binary is looked for there too).
if [ -n "${RELEASEDAY_BIN:-}" ]; then
  bin=$RELEASEDAY_BIN
else
  cargo build --release -q
  bin=${CARGO_TARGET_DIR:-target}/release/releaseday
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The file: an invented caseload exported with the import columns.
$bin --db "$work/source.db" --today 2026-11-23 demo --cases "$rows" --seed 5 >/dev/null
$bin --db "$work/source.db" export --format csv --output "$work/cases.csv" >/dev/null
echo "file: $rows rows, $(du -h "$work/cases.csv" | cut -f1)"

seconds() { python3 -c 'import sys,time; print(f"{time.time():.6f}")'; }

t0=$(seconds)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "%M" -o "$work/mem" $bin --db "$work/releaseday.db" --today 2026-11-23 import "$work/cases.csv" >/dev/null
else
  echo 0 > "$work/mem"  # GNU time not installed: no peak memory figure
  $bin --db "$work/releaseday.db" --today 2026-11-23 import "$work/cases.csv" >/dev/null
fi
t1=$(seconds)
sqlite3 "$work/bare.db" ".mode csv" ".import $work/cases.csv cases"
t2=$(seconds)

python3 - "$t0" "$t1" "$t2" "$(cat "$work/mem")" <<'PY'
import sys
t0, t1, t2, mem = (float(x) for x in sys.argv[1:])
ours, theirs = t1 - t0, t2 - t1
print(f"releaseday import   {ours:8.2f} s   (peak memory {mem / 1024:.0f} MB)")
print(f"sqlite3 .import     {theirs:8.2f} s")
print(f"ratio               {ours / theirs:8.2f}x   (target <= 2x)")
PY

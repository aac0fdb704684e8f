#!/usr/bin/env bash
# Import of 100,000-row CSV files by `releaseday import` (validation, upsert, audit, one
# transaction) against the sqlite3 shell's `.import` of the same file into a bare table, for two
# shapes of file, measured side by side in one run:
#   - the project's own export: 25 columns, 15 MB;
#   - an officer's spreadsheet: 11 columns under its own headers (CRN, Name, Establishment,
#     Release Date, Release Type, Offender Manager, RoSH, Accommodation, DTR, CRS, CAS3), CRLF
#     line ends as Excel writes them, the same cases.
# Target: releaseday ≤ 2× sqlite3 on both. Also a re-import: the spreadsheet again with every
# row changed (officer and accommodation), into the database the first import filled.
# Prints medians over RUNS runs (default 5, after one warm-up), each pair run in turn, the
# median of the pairs' ratios with its range, and releaseday's peak memory.
# Run from the project root: bash benches/import_vs_sqlite3.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
runs=${RUNS:-5}
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

# The files: an invented caseload exported with the import columns, and the officer's
# spreadsheet and its changed copy made from that export.
$bin --db "$work/source.db" --today 2026-11-23 demo --cases "$rows" --seed 5 >/dev/null
$bin --db "$work/source.db" export --format csv --output "$work/cases.csv" >/dev/null
python3 - "$work" <<'PY'
import csv, sys
work = sys.argv[1]
columns = [("CRN", "crn"), ("Name", "name"), ("Establishment", "prison"),
           ("Release Date", "release_date"), ("Release Type", "release_type"),
           ("Offender Manager", "officer"), ("RoSH", "rosh"), ("Accommodation", "accommodation"),
           ("DTR", "dtr"), ("CRS", "crs"), ("CAS3", "cas3")]
moved = {"NFA": "CAS3", "CAS3": "SETTLED", "SETTLED": "TRANSIENT", "TRANSIENT": "UNKNOWN"}
with open(f"{work}/cases.csv", encoding="utf-8-sig", newline="") as src, \
     open(f"{work}/sheet.csv", "w", encoding="utf-8", newline="") as a, \
     open(f"{work}/sheet-changed.csv", "w", encoding="utf-8", newline="") as b:
    lean, changed = csv.writer(a), csv.writer(b)  # CRLF line ends, as Excel writes
    lean.writerow([h for h, _ in columns])
    changed.writerow([h for h, _ in columns])
    for row in csv.DictReader(src):
        cells = [row[k] for _, k in columns]
        lean.writerow(cells)
        cells[5] = (cells[5] + " Jr").strip()
        cells[7] = moved.get(cells[7], "NFA")
        changed.writerow(cells)
PY
echo "files: $rows rows; export $(du -h "$work/cases.csv" | cut -f1) (25 columns), spreadsheet $(du -h "$work/sheet.csv" | cut -f1) (11 columns)"

python3 - "$bin" "$work" "$runs" <<'PY'
import os, shutil, statistics, subprocess, sys, time
bin, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def run(args):
    """Wall seconds and peak memory (MB, the operating system's count) of one command."""
    start = time.perf_counter()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode()
    if status != 0:
        sys.exit(f"{' '.join(args)} failed: {err}")
    return wall, usage.ru_maxrss / 1024

def fresh(name):
    d = os.path.join(work, name)
    shutil.rmtree(d, ignore_errors=True)
    os.mkdir(d)
    return d

def ours(file, base=None):
    d = fresh("ours")
    if base:
        shutil.copy(base, os.path.join(d, "r.db"))
    return run([bin, "--db", os.path.join(d, "r.db"), "--today", "2026-11-23", "import", file])

def sqlite3(file):
    d = fresh("bare")
    return run(["sqlite3", os.path.join(d, "bare.db"), ".mode csv", f".import {file} cases"])

def spread(xs):
    return f"{statistics.median(xs):.2f} ({min(xs):.2f}–{max(xs):.2f})"

for label, name in [("export, 25 columns", "cases.csv"), ("spreadsheet, 11 columns", "sheet.csv")]:
    file = os.path.join(work, name)
    ours(file), sqlite3(file)  # warm-up
    a, b = [], []
    for _ in range(runs):
        a.append(ours(file))
        b.append(sqlite3(file))
    ratios = [x[0] / y[0] for x, y in zip(a, b)]
    print(f"{label}:")
    print(f"  releaseday import   {statistics.median(x[0] for x in a):6.2f} s   "
          f"(peak memory {max(x[1] for x in a):.0f} MB)")
    print(f"  sqlite3 .import     {statistics.median(x[0] for x in b):6.2f} s")
    print(f"  ratio               {spread(ratios)}x   (median of {runs} pairs; target <= 2x)")

# Every row changed, into the database the first import filled.
full = os.path.join(fresh("full"), "r.db")
subprocess.run([bin, "--db", full, "--today", "2026-11-23", "import",
                os.path.join(work, "sheet.csv")], stdout=subprocess.DEVNULL, check=True)
shutil.copy(full, os.path.join(work, "full.db"))
changed = os.path.join(work, "sheet-changed.csv")
ours(changed, os.path.join(work, "full.db"))  # warm-up
c = [ours(changed, os.path.join(work, "full.db")) for _ in range(runs)]
print("re-import, every row changed (2 fields each) in a full database:")
print(f"  releaseday import   {spread([x[0] for x in c])} s   "
      f"(peak memory {max(x[1] for x in c):.0f} MB)")
PY

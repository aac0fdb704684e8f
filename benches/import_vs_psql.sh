#!/usr/bin/env bash
# Import of a 100,000-row CSV file into the team database by `releaseday import` (validation,
# the plan against the cases held, COPY into a staging table, the merge, the audit triggers, one
# transaction), signed in as an officer, against `psql \copy` of the same file into a bare table
# of text columns on the same server. Target: releaseday <= 2x psql. Medians over RUNS runs
# (default 5, after one warm-up), each pair run in turn, the median of the pairs' ratios.
#
# Needs a PostgreSQL server to sign in to as a superuser, named by RELEASEDAY_TEST_PG (run
# `source .ci/postgres` in bash first, which starts a throwaway one), and psql.
# Run from the project root: bash benches/import_vs_psql.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
runs=${RUNS:-5}
if [ -z "${RELEASEDAY_TEST_PG:-}" ]; then
  echo "skipping the team database import benchmark: RELEASEDAY_TEST_PG is not set (source .ci/postgres)" >&2
  exit 0
fi
psql=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -1)
if [ -n "${RELEASEDAY_BIN:-}" ]; then
  bin=$RELEASEDAY_BIN
else
  cargo build --release -q
  bin=${CARGO_TARGET_DIR:-target}/release/releaseday
fi
work=$(mktemp -d)
db=rd_bench_$$
cleanup() {
  "$psql" "$RELEASEDAY_TEST_PG" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  "$psql" "$RELEASEDAY_TEST_PG" -qc "DROP ROLE IF EXISTS ${db}_officer" >/dev/null 2>&1 || true
  "$psql" "$RELEASEDAY_TEST_PG" -qc "DROP ROLE IF EXISTS ${db}_owner" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The file: an invented caseload exported with the import columns (25 columns).
$bin --db "$work/source.db" --today 2026-11-23 demo --cases "$rows" --seed 5 >/dev/null
$bin --db "$work/source.db" export --format csv --output "$work/cases.csv" >/dev/null

# A team database set up by its owner, an officer of every team, and a bare table beside it.
pass=Bench-Pass-7
admin() { "$psql" "$RELEASEDAY_TEST_PG" -v ON_ERROR_STOP=1 -qc "$1" >/dev/null; }
admin "CREATE ROLE ${db}_owner LOGIN CREATEROLE PASSWORD '$pass'"
admin "CREATE ROLE ${db}_officer LOGIN PASSWORD '$pass'"
admin "DO \$\$BEGIN CREATE ROLE releaseday_officer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END\$\$"
admin "GRANT releaseday_officer TO ${db}_owner WITH ADMIN OPTION"
admin "CREATE DATABASE $db OWNER ${db}_owner"
base=${RELEASEDAY_TEST_PG%%\?*}
server=${base%/*}
host_port=${server#*@}
owner_url="postgres://${db}_owner@$host_port/$db?sslmode=disable"
officer_url="postgres://${db}_officer@$host_port/$db?sslmode=disable"
admin_db="$server/$db?sslmode=disable"
PGPASSWORD=$pass $bin --db "$owner_url" db setup >/dev/null
PGPASSWORD=$pass $bin --db "$owner_url" db grant "${db}_officer" >/dev/null
columns=$(head -1 "$work/cases.csv" | tr -d '\r\357\273\277' | sed 's/,/ text, /g; s/$/ text/')
"$psql" "$admin_db" -v ON_ERROR_STOP=1 -qc "CREATE TABLE bare ($columns)" >/dev/null
echo "file: $rows rows, $(du -h "$work/cases.csv" | cut -f1) (25 columns); server $("$psql" "$RELEASEDAY_TEST_PG" -Atc 'SHOW server_version')"

python3 - "$bin" "$work/cases.csv" "$runs" "$psql" "$admin_db" "$officer_url" "$pass" <<'PY'
import os, statistics, subprocess, sys, time
bin, file, runs, psql, admin_db, officer_url, password = sys.argv[1:]
runs = int(runs)
env = dict(os.environ, PGPASSWORD=password)

def sql(text):
    subprocess.run([psql, admin_db, "-v", "ON_ERROR_STOP=1", "-qc", text],
                   stdout=subprocess.DEVNULL, check=True)

def run(args):
    """Wall seconds of one command."""
    start = time.perf_counter()
    p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"{' '.join(args[:3])} failed: {p.stderr.decode()}")
    return wall

def ours():
    sql("TRUNCATE cases, audit")
    return run([bin, "--db", officer_url, "--today", "2026-11-23", "import", file])

def theirs():
    sql("TRUNCATE bare")
    return run([psql, admin_db, "-v", "ON_ERROR_STOP=1", "-qc",
                f"\\copy bare FROM '{file}' WITH (FORMAT csv, HEADER true)"])

ours(), theirs()  # warm-up
a, b = [], []
for _ in range(runs):
    a.append(ours())
    b.append(theirs())
ratios = [x / y for x, y in zip(a, b)]
print("team database, export (25 columns):")
print(f"  releaseday import   {statistics.median(a):6.2f} s   (as an officer; plan, COPY, merge, audit)")
print(f"  psql \\copy          {statistics.median(b):6.2f} s   (into a bare table of text columns)")
print(f"  ratio               {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})x"
      f"   (median of {runs} pairs; target <= 2x)")
PY

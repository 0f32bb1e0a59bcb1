#!/usr/bin/env bash
# The floor under the ingest benchmark: what PostgreSQL alone spends per judgment when a judgment does only the writes
# the issue's rules need (writes.sql), with the lease picked by the queue's rules (queue.sql), and both for ten
# judgments per call (batched.sql, queue-batched.sql). See bench/README.md, ingest, "The floor under the platform".
# pgbench drives the platform's own embedded PostgreSQL (same binaries and settings as the ingest benchmark) in a
# database of its own: CLIENTS clients (default 50), 25 s measured after 10 s, in a 45 s run; the backend, Kafka and
# the worker sit idle. Needs pgbench and psql (Debian: postgresql-client).
# Usage: bench/ingest/floor/run.sh [CLIENTS], or ./rlhf bench ingest/floor [CLIENTS]; FLOOR_SCRIPTS chooses the
# scripts (default: all four).
# Ends with one line per script: floor SCRIPT: judgments/s X, postgres cpu ms per judgment Y, machine Z
set -euo pipefail
cd "$(dirname "$0")/../../.."
for tool in pgbench psql bc; do
  command -v "$tool" >/dev/null || { echo "floor: $tool is not installed (Debian: apt-get install postgresql-client bc)" >&2; exit 1; }
done
clients=${1:-50}
warmup=10 window=25 # seconds; pgbench runs 10 s past the window, so no connection has closed before it ends
source bench/platform.sh
start_platform floor "${RLHF_BENCH_PORT:-18182}" --no-reward-model
port=$(sed -n 's|.*database: *jdbc:postgresql://localhost:\([0-9]*\)/.*|\1|p' "$PLATFORM_LOG" | head -1)
[ -n "$port" ] || { echo "floor: the platform's log names no embedded database" >&2; exit 1; }
export PGHOST=localhost PGPORT=$port PGUSER=postgres PGPASSWORD=postgres
ticks=$(getconf CLK_TCK)
postgres_ticks() { # "pid ticks" (user + system) of every postgres process
  local pid
  for pid in $(pgrep -x postgres); do
    awk -v pid="$pid" '{print pid, $14 + $15}' "/proc/$pid/stat" 2>/dev/null || true
  done
}
# Ticks used between two snapshots by the processes alive in both (autovacuum workers come and go).
ticks_between() { awk 'NR == FNR {before[$1] = $2; next} $1 in before {sum += $2 - before[$1]} END {print sum + 0}' "$1" "$2"; }
machine_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
judgments() { psql -qtA -d floor -c 'SELECT count(*) FROM judgment'; }
echo "floor: $(nproc) cores, $clients clients, postgres on port $port"
for script in ${FLOOR_SCRIPTS:-writes queue batched queue-batched}; do
  psql -q -d postgres -c 'DROP DATABASE IF EXISTS floor' 2>/dev/null
  psql -q -d postgres -c 'CREATE DATABASE floor'
  psql -q -d floor -v ON_ERROR_STOP=1 -f bench/ingest/floor/schema.sql
  psql -q -d floor -c 'VACUUM ANALYZE'
  pgbench -n -M prepared -c "$clients" -j 2 -T $((warmup + window + 10)) -f "bench/ingest/floor/$script.sql" floor >"$PLATFORM_DATA/pgbench-$script.log" 2>&1 &
  bench=$!
  sleep "$warmup"
  postgres_ticks >"$PLATFORM_DATA/before"; m0=$(machine_ticks); j0=$(judgments)
  sleep "$window"
  postgres_ticks >"$PLATFORM_DATA/after"; m1=$(machine_ticks); j1=$(judgments)
  used=$(ticks_between "$PLATFORM_DATA/before" "$PLATFORM_DATA/after")
  wait "$bench" || { tail -5 "$PLATFORM_DATA/pgbench-$script.log"; echo "floor: pgbench failed" >&2; exit 1; }
  n=$((j1 - j0))
  echo "floor $script: judgments/s $((n / window)), postgres cpu ms per judgment $(echo "scale=3; 1000 * $used / $ticks / $n" | bc), machine $(echo "scale=3; 1000 * ($m1 - $m0) / $ticks / $n" | bc)"
done

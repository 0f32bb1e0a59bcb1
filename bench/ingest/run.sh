#!/usr/bin/env bash
# Ingest benchmark: 50 concurrent raters looping next task -> submit against ./rlhf up on this machine.
# Starts the platform on a throw-away data folder, drives the load, stops everything.
# Ends with: judgments/s: X, p99 ms: Y, lost: Z
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${RLHF_BENCH_PORT:-18181}
data=$(mktemp -d)
password="bench-$(date +%s)-$RANDOM"
log="$data/platform.log"
cp="deploy/target/classes:deploy/target/lib/*"

RLHF_ADMIN_PASSWORD=$password java -cp "$cp" dev.rlhf.deploy.Rlhf up --port "$port" --data-dir "$data" >"$log" 2>&1 &
platform=$!
trap 'kill -TERM $platform 2>/dev/null; wait $platform 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 180); do
  grep -q 'rlhf is up' "$log" 2>/dev/null && break
  kill -0 $platform 2>/dev/null || { cat "$log"; echo "bench ingest: the platform did not start" >&2; exit 1; }
  sleep 1
done
echo "bench ingest: $(nproc) cores; platform on port $port"
java -cp "$cp" dev.rlhf.deploy.Rlhf ingest-load --url "http://localhost:$port" --admin-password "$password" "$@"

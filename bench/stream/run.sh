#!/usr/bin/env bash
# Stream benchmark: judgments submitted through the HTTP API at a steady 200/s (open loop) for 30 s, read
# back from rlhf.judgments by a consumer built on the events library that writes each one durably into its
# own PostgreSQL. Latency = durable write - the submit's HTTP 200, per judgment id.
# Starts the platform (embedded PostgreSQL + Kafka) on a throw-away data folder, drives the load, stops everything.
# Options are passed to the driver (java ... Rlhf stream-load --help), e.g. --rate 100 --seconds 60.
# Ends with: submit-to-consumer p50 ms: X, p99 ms: Y, lost: Z
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${RLHF_BENCH_PORT:-18282}
data=$(mktemp -d)
password="bench-$(date +%s)-$RANDOM"
log="$data/platform.log"
cp="deploy/target/classes:deploy/target/lib/*"

RLHF_ADMIN_PASSWORD=$password java -cp "$cp" dev.rlhf.deploy.Rlhf up --port "$port" --data-dir "$data" >"$log" 2>&1 &
platform=$!
# SIGTERM, not SIGINT: a background job of a non-interactive script ignores SIGINT. The launcher stops the
# backend, then Kafka, then PostgreSQL.
# The platform's log (backend, launcher) outlives the run, for the incident ids of any 5xx the driver reports.
kept_log="${TMPDIR:-/tmp}/rlhf-bench-stream-platform.log"
stop_platform() {
  local rc=$?
  kill -TERM $platform 2>/dev/null || true
  wait $platform 2>/dev/null || true
  cp "$log" "$kept_log" 2>/dev/null && echo "bench stream: platform log kept in $kept_log" >&2
  rm -rf "$data"
  exit $rc
}
trap stop_platform EXIT
for _ in $(seq 1 240); do
  grep -q 'rlhf is up' "$log" 2>/dev/null && break
  kill -0 $platform 2>/dev/null || { cat "$log"; echo "bench stream: the platform did not start" >&2; exit 1; }
  sleep 1
done
grep -q 'rlhf is up' "$log" || { tail -50 "$log"; echo "bench stream: the platform did not start in 240 s" >&2; exit 1; }
bootstrap=$(sed -n 's/^ *kafka bootstrap: *\([^ ]*\).*/\1/p' "$log" | head -1)
[[ -n "$bootstrap" ]] || { tail -50 "$log"; echo "bench stream: no 'kafka bootstrap:' line in the welcome block" >&2; exit 1; }
echo "bench stream: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg); platform on port $port, kafka $bootstrap"
java -cp "$cp" dev.rlhf.deploy.Rlhf stream-load --url "http://localhost:$port" --admin-password "$password" \
  --bootstrap-servers "$bootstrap" "$@"

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
source bench/platform.sh
start_platform stream "$port"
log=$PLATFORM_LOG
cp=$PLATFORM_CLASSPATH
password=$PLATFORM_PASSWORD
bootstrap=$(sed -n 's/^ *kafka bootstrap: *\([^ ]*\).*/\1/p' "$log" | head -1)
[[ -n "$bootstrap" ]] || { tail -50 "$log"; echo "bench stream: no 'kafka bootstrap:' line in the welcome block" >&2; exit 1; }
echo "bench stream: kafka $bootstrap"
java -cp "$cp" dev.rlhf.deploy.Rlhf stream-load --url "http://localhost:$port" --admin-password "$password" \
  --bootstrap-servers "$bootstrap" "$@"

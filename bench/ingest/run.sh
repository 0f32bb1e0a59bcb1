#!/usr/bin/env bash
# Ingest benchmark: 50 concurrent raters looping next task -> submit against ./rlhf up on this machine.
# Starts the platform on a throw-away data folder, drives the load, stops everything.
# Options go to the driver (java ... Rlhf ingest-load --help), e.g. --raters 20 --seconds 60.
# Ends with: judgments/s: X, p99 ms: Y, lost: Z
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/platform.sh
start_platform ingest "${RLHF_BENCH_PORT:-18181}"
java -cp "$PLATFORM_CLASSPATH" dev.rlhf.deploy.Rlhf ingest-load --url "http://localhost:${RLHF_BENCH_PORT:-18181}" \
  --admin-password "$PLATFORM_PASSWORD" "$@"
